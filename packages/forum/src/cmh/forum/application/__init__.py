"""The forum's use cases and the ports they need."""
