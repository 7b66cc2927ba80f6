from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.kernel.sql.tables import outbox
from cmh_testing.users.http import PASSWORD, UsersApi, assert_problem


async def _event_types(api: UsersApi, subject: str) -> list[str]:
    engine = await api.container.get(AsyncEngine)
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(outbox.c.event_type).where(outbox.c.key == subject).order_by(outbox.c.seq)
        )
    return list(rows.scalars())


async def test_me_answers_the_full_profile(api: UsersApi) -> None:
    user_id, headers = await api.learner()
    me = (await api.client.get("/api/v1/users/me", headers=headers)).json()
    assert me["id"] == user_id
    assert (me["status"], me["locale"], me["timezone"], me["interests"], me["skill_level"]) == (
        "active",
        "en",
        "UTC",
        [],
        None,
    )


async def test_profile_updates_change_only_what_is_sent(api: UsersApi) -> None:
    user_id, headers = await api.learner()
    response = await api.client.patch(
        "/api/v1/users/me",
        headers=headers,
        json={
            "locale": "pt-br",
            "timezone": "America/Sao_Paulo",
            "interests": ["AWS", "aws", "Terraform"],
            "skill_level": "intermediate",
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["locale"], body["timezone"], body["interests"], body["skill_level"]) == (
        "pt-BR",
        "America/Sao_Paulo",
        ["aws", "terraform"],
        "intermediate",
    )
    assert body["display_name"] == "Ada Lovelace"
    assert await _event_types(api, user_id) == ["user.registered", "user.profile_updated"]


async def test_invalid_profile_values_are_422_naming_the_field(api: UsersApi) -> None:
    _, headers = await api.learner()
    cases = [
        ({"timezone": "Mars/Olympus_Mons"}, "invalid_input", "timezone"),
        ({"locale": "english please"}, "validation_failed", "locale"),
        ({"interests": [f"topic {i}" for i in range(21)]}, "validation_failed", "interests"),
        ({"skill_level": "guru"}, "validation_failed", "skill_level"),
        ({"display_name": 42}, "validation_failed", "display_name"),
        ({"display_name": "   "}, "invalid_input", "display_name"),
    ]
    for body, code, field in cases:
        response = await api.client.patch("/api/v1/users/me", headers=headers, json=body)
        assert_problem(response, 422, code, field=field)


async def test_a_user_reads_only_themself_others_get_404(api: UsersApi) -> None:
    ada_id, ada = await api.learner()
    grace_id, _grace = await api.learner(email="grace@example.com")
    assert (await api.client.get(f"/api/v1/users/{ada_id}", headers=ada)).status_code == 200
    assert_problem(await api.client.get(f"/api/v1/users/{grace_id}", headers=ada), 404, "not_found")
    assert_problem(
        await api.client.get("/api/v1/users/does-not-exist", headers=ada), 404, "not_found"
    )
    _, admin = await api.admin()
    assert (await api.client.get(f"/api/v1/users/{grace_id}", headers=admin)).json()[
        "id"
    ] == grace_id


async def test_the_export_has_profile_audit_and_sessions_but_no_secrets(api: UsersApi) -> None:
    user = await api.register()
    tokens = await api.log_in()
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    response = await api.client.get("/api/v1/users/me/export", headers=headers)
    assert response.status_code == 200
    export = response.json()
    assert export["user"]["id"] == user["id"]
    assert [e["action"] for e in export["audit_log"]] == ["registered", "login_succeeded"]
    assert len(export["sessions"]) == 1
    verification = api.mailer.last_token("email_verification", "ada@example.com")
    for secret in ("$argon2", "_hash", tokens["refresh_token"], verification, PASSWORD):
        assert secret not in response.text


async def test_erasure_anonymises_and_ends_the_account(api: UsersApi) -> None:
    user_id, headers = await api.learner()
    response = await api.client.delete("/api/v1/users/me", headers=headers)
    assert response.status_code == 204
    # Its access token stopped working at once.
    assert_problem(await api.client.get("/api/v1/users/me", headers=headers), 401, "token_revoked")
    login = await api.client.post(
        "/api/v1/auth/login", json={"email": "ada@example.com", "password": PASSWORD}
    )
    assert_problem(login, 401, "invalid_credentials")
    assert (await _event_types(api, user_id))[-1] == "user.erasure_requested"
    assert (await api.register()).get("id") != user_id
