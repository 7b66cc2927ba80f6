"""The published OpenAPI document describes every route the way clients rely on."""

from cmh_testing.users.http import UsersApi

PUBLIC = {
    "auth_register",
    "auth_verify_email",
    "auth_login",
    "auth_sso_start",
    "auth_sso_callback",
    "auth_sso_link",
    "auth_refresh",
    "auth_logout",
    "auth_password_reset",
    "auth_password_reset_confirm",
    "auth_jwks",
    "well_known_jwks",
    "internal_service_token",
}


async def test_every_route_has_an_operation_id_tags_and_its_security(api: UsersApi) -> None:
    document = (await api.client.get("/schema/openapi.json")).json()
    operations = [
        operation
        for path, methods in document["paths"].items()
        if path.startswith(("/api/", "/internal/", "/.well-known/"))
        for operation in methods.values()
    ]
    assert len(operations) >= 21
    for operation in operations:
        assert operation["operationId"]
        assert operation["tags"]
        secured = operation.get("security") == [{"BearerToken": []}]
        assert secured is (operation["operationId"] not in PUBLIC), operation["operationId"]
