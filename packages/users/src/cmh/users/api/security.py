"""The OpenAPI security requirement of routes that need an access token."""

from litestar.openapi.spec import SecurityRequirement

BEARER: list[SecurityRequirement] = [{"BearerToken": []}]
