"""Use cases of the Users context, one per module, and the ports they need."""
