"""Implementations of the forum\x27s ports."""
