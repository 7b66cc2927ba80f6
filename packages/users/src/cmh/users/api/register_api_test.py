import pytest

from cmh_testing.users.http import PASSWORD, UsersApi, assert_problem, bearer


async def test_registration_answers_the_public_account_shape(api: UsersApi) -> None:
    body = await api.register(email="Ada@Example.COM")
    assert set(body) == {"id", "email", "display_name", "roles", "tier", "email_verified"}
    assert body["email"] == "ada@example.com"
    assert (body["roles"], body["tier"], body["email_verified"]) == (["learner"], "free", False)


async def test_a_duplicate_email_in_any_case_is_409(api: UsersApi) -> None:
    await api.register(email="ada@example.com")
    response = await api.client.post(
        "/api/v1/auth/register",
        json={"email": "ADA@example.com", "password": PASSWORD, "display_name": "Impostor"},
    )
    assert_problem(response, 409, "email_taken", field="email")


async def test_a_weak_password_is_422_naming_password(api: UsersApi) -> None:
    response = await api.client.post(
        "/api/v1/auth/register",
        json={"email": "ada@example.com", "password": "alllowercase", "display_name": "Ada"},
    )
    assert_problem(response, 422, "weak_password", field="password")


async def test_wrong_types_and_missing_fields_are_422_naming_the_field(api: UsersApi) -> None:
    wrong_type = await api.client.post(
        "/api/v1/auth/register", json={"email": 42, "password": PASSWORD, "display_name": "Ada"}
    )
    assert_problem(wrong_type, 422, "validation_failed", field="email")
    missing = await api.client.post(
        "/api/v1/auth/register", json={"email": "ada@example.com", "password": PASSWORD}
    )
    assert_problem(missing, 422, "validation_failed", field="display_name")
    too_long = await api.client.post(
        "/api/v1/auth/register",
        json={"email": "ada@example.com", "password": PASSWORD, "display_name": "x" * 81},
    )
    assert_problem(too_long, 422, "validation_failed", field="display_name")
    bad_email = await api.client.post(
        "/api/v1/auth/register",
        json={"email": "not-an-address", "password": PASSWORD, "display_name": "Ada"},
    )
    assert_problem(bad_email, 422, "invalid_input", field="email")


@pytest.mark.parametrize("body", [b'{"email": "ada@example.com",', b'{"email": }', b"\xff\xfe"])
async def test_malformed_json_is_400(api: UsersApi, body: bytes) -> None:
    response = await api.client.post(
        "/api/v1/auth/register", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    # The kernel names syntax errors `malformed_body` but truncated input `bad_request`.
    assert response.json()["code"] in {"malformed_body", "bad_request"}


async def test_an_oversized_body_is_413(api: UsersApi) -> None:
    response = await api.client.post(
        "/api/v1/auth/register",
        content=b'{"email": "' + b"a" * 2_000_000 + b'"}',
        headers={"content-type": "application/json"},
    )
    assert_problem(response, 413, "payload_too_large")


async def test_the_mailed_link_verifies_the_email(api: UsersApi) -> None:
    _, headers = await api.learner()
    token = api.mailer.last_token("email_verification", "ada@example.com")

    response = await api.client.post("/api/v1/auth/verify-email", json={"token": token})

    assert response.status_code == 204
    me = await api.client.get("/api/v1/users/me", headers=headers)
    assert me.json()["email_verified"] is True
    again = await api.client.post("/api/v1/auth/verify-email", json={"token": token})
    assert_problem(again, 422, "token_invalid", field="token")


async def test_a_new_verification_link_can_be_requested(api: UsersApi) -> None:
    _, headers = await api.learner()
    response = await api.client.post("/api/v1/auth/verify-email/resend", headers=headers)
    assert response.status_code == 202
    assert [m.kind for m in api.mailer.sent] == ["email_verification", "email_verification"]
    unauthenticated = await api.client.post("/api/v1/auth/verify-email/resend")
    assert_problem(unauthenticated, 401, "token_missing")


async def test_health_and_schema_answer(api: UsersApi) -> None:
    assert (await api.client.get("/health/ready")).json()["status"] == "up"
    assert (await api.client.get("/schema/openapi.json")).status_code == 200
    assert (await api.client.get("/api/v1/users/me", headers=bearer("x"))).status_code == 401
