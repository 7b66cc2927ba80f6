"""The API gateway: routing to the services, token checks, rate limits, circuit breaking,
the aggregated OpenAPI document and the GraphQL entry point for composite reads."""
