"""The forum service (distributed profile): API and worker."""
