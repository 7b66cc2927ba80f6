"""HTTP schemas shared between a service and the clients other contexts write for it."""
