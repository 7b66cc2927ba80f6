from datetime import timedelta
from typing import Any

import httpx

from cmh.kernel.auth.tokens import TokenSettings, TokenVerifier
from cmh_testing.users.http import PASSWORD, UsersApi, assert_problem

NEW_PASSWORD = "Difference-Engine-1822"


async def test_login_answers_a_bearer_pair_that_is_never_cached(api: UsersApi) -> None:
    await api.register()
    response = await api.client.post(
        "/api/v1/auth/login", json={"email": "ADA@example.com", "password": PASSWORD}
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "refresh_token", "token_type", "expires_in"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == TokenSettings().access_ttl_seconds
    assert "no-store" in response.headers["cache-control"]


async def test_wrong_password_and_unknown_email_get_the_same_401(api: UsersApi) -> None:
    await api.register()
    wrong = await api.client.post(
        "/api/v1/auth/login", json={"email": "ada@example.com", "password": "Nope-nope-123"}
    )
    unknown = await api.client.post(
        "/api/v1/auth/login", json={"email": "who@example.com", "password": PASSWORD}
    )
    first = assert_problem(wrong, 401, "invalid_credentials")
    second = assert_problem(unknown, 401, "invalid_credentials")
    assert first["detail"] == second["detail"]


async def test_brute_force_is_429_with_retry_after(api: UsersApi) -> None:
    await api.register()
    for _ in range(5):
        response = await api.client.post(
            "/api/v1/auth/login", json={"email": "ada@example.com", "password": "Guess-12345"}
        )
        assert response.status_code == 401
    locked = await api.client.post(
        "/api/v1/auth/login", json={"email": "ada@example.com", "password": PASSWORD}
    )
    assert_problem(locked, 429, "rate_limited")
    assert 0 < int(locked.headers["retry-after"]) <= 301


async def test_failures_from_elsewhere_do_not_lock_the_owner_out(api: UsersApi) -> None:
    await api.register()
    app: Any = api.app  # an ASGI app; httpx's annotation is narrower than Litestar's
    elsewhere = httpx.ASGITransport(app=app, client=("198.51.100.7", 40000))
    async with httpx.AsyncClient(transport=elsewhere, base_url="http://testserver") as guesser:
        for _ in range(6):
            guess = await guesser.post(
                "/api/v1/auth/login", json={"email": "ada@example.com", "password": "Guess-12345"}
            )
            assert guess.status_code in (401, 429)
        assert_problem(guess, 429, "rate_limited")
    await api.log_in()


async def test_a_disabled_account_is_403(api: UsersApi) -> None:
    user_id, _ = await api.learner()
    _, admin = await api.admin()
    await api.client.patch(
        f"/api/v1/admin/users/{user_id}", json={"status": "disabled"}, headers=admin
    )
    response = await api.client.post(
        "/api/v1/auth/login", json={"email": "ada@example.com", "password": PASSWORD}
    )
    assert_problem(response, 403, "account_disabled")


async def test_refresh_rotates_and_reuse_kills_the_family(api: UsersApi) -> None:
    await api.register()
    first = await api.log_in()

    rotated = await api.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert rotated.status_code == 200
    second = rotated.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert "no-store" in rotated.headers["cache-control"]

    reuse = await api.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert_problem(reuse, 401, "refresh_token_reused")
    dead = await api.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]}
    )
    assert_problem(dead, 401, "refresh_token_revoked")


async def test_expired_and_unknown_refresh_tokens_are_401(api: UsersApi) -> None:
    await api.register()
    tokens = await api.log_in()
    unknown = await api.client.post("/api/v1/auth/refresh", json={"refresh_token": "forged"})
    assert_problem(unknown, 401, "refresh_token_invalid")
    api.clock.advance(timedelta(seconds=TokenSettings().refresh_ttl_seconds))
    expired = await api.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert_problem(expired, 401, "refresh_token_expired")


async def test_logout_revokes_the_session(api: UsersApi) -> None:
    await api.register()
    tokens = await api.log_in()
    response = await api.client.post(
        "/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]}
    )
    assert response.status_code == 204
    refused = await api.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert_problem(refused, 401, "refresh_token_revoked")


async def test_password_reset_never_reveals_accounts_and_closes_sessions(api: UsersApi) -> None:
    await api.register()
    tokens = await api.log_in()
    for email in ("ada@example.com", "nobody@example.com"):
        response = await api.client.post("/api/v1/auth/password-reset", json={"email": email})
        assert response.status_code == 202
        assert response.content == b""
    reset_token = api.mailer.last_token("password_reset", "ada@example.com")

    short = await api.client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": reset_token, "new_password": "short"}
    )
    # The schema states the length rule, so the decoder rejects it before the policy runs.
    assert_problem(short, 422, "validation_failed", field="new_password")
    weak = await api.client.post(
        "/api/v1/auth/password-reset/confirm",
        json={"token": reset_token, "new_password": "alllowercase"},
    )
    assert_problem(weak, 422, "weak_password", field="new_password")
    confirmed = await api.client.post(
        "/api/v1/auth/password-reset/confirm",
        json={"token": reset_token, "new_password": NEW_PASSWORD},
    )
    assert confirmed.status_code == 204

    refused = await api.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert_problem(refused, 401, "refresh_token_revoked")
    await api.log_in(password=NEW_PASSWORD)


async def test_the_published_keys_verify_issued_tokens(api: UsersApi) -> None:
    await api.register()
    tokens = await api.log_in()
    published = await api.client.get("/api/v1/auth/jwks")
    well_known = await api.client.get("/.well-known/jwks.json")
    jwks = published.json()
    assert jwks == well_known.json()
    # A public document every client reads: cacheable, unlike everything else here.
    for response in (published, well_known):
        directives = {d.strip() for d in response.headers["cache-control"].split(",")}
        assert directives == {"public", "max-age=300"}
    assert jwks["keys"][0]["alg"] == "EdDSA"
    assert "d" not in jwks["keys"][0]
    principal = TokenVerifier(jwks, TokenSettings()).verify(
        tokens["access_token"], now=api.clock.now()
    )
    assert principal.roles == {"learner"}
