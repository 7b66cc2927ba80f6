"""In-memory stores and stand-ins (unit tests, the memory profile)."""
