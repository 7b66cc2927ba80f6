"""Implementations of the Users ports: SQL, in-memory, argon2, identity providers, mail."""
