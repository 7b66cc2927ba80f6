"""Secrets behind one port: the environment and ``*_FILE`` files (default) or Vault."""
