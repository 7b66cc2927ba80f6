"""Post search: in memory, Elasticsearch."""
