"""The Notifications API: the inbox (owner only), preferences, the unsubscribe link, the
admin delivery log, and every refusal as a problem naming its field."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from litestar.testing import AsyncTestClient

from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import FrozenClock
from cmh.notifications.adapters.mail.settings import MailProvider, MailSettings
from cmh.notifications.api.conftest import ADMIN, LEARNER, OTHER, Client, NotificationsApi
from cmh.notifications.settings import NotificationsSettings
from cmh_testing.notifications import build_notifications_test_app
from cmh_testing.notifications.sendgrid_events import SendGridSigner


async def welcomed(client: Client, api: NotificationsApi) -> dict[str, Any]:
    await api.register(LEARNER)
    page = await client.get("/api/v1/notifications/me", headers=api.auth(LEARNER))
    assert page.status_code == 200, page.text
    [entry] = page.json()["items"]
    return dict(entry)


async def test_the_inbox_lists_counts_reads_and_deletes_for_its_owner_only(
    client: Client, api: NotificationsApi
) -> None:
    entry = await welcomed(client, api)
    assert (entry["kind"], entry["read"]) == ("user.welcome", False)
    me = api.auth(LEARNER)
    count = await client.get("/api/v1/notifications/me/unread-count", headers=me)
    assert count.json() == {"unread": 1}
    for method, path in (
        ("POST", f"/api/v1/notifications/{entry['id']}/read"),
        ("DELETE", f"/api/v1/notifications/{entry['id']}"),
    ):
        foreign = await client.request(method, path, headers=api.auth(OTHER))
        assert (foreign.status_code, foreign.json()["code"]) == (404, "notification_not_found")
    read = await client.post(f"/api/v1/notifications/{entry['id']}/read", headers=me)
    assert (read.status_code, read.json()["read"]) == (200, True)
    unread = await client.get("/api/v1/notifications/me?unread=true", headers=me)
    assert unread.json() == {"items": [], "next_cursor": None}
    all_read = await client.post("/api/v1/notifications/me/read-all", headers=me)
    assert all_read.json() == {"marked": 0}
    removed = await client.delete(f"/api/v1/notifications/{entry['id']}", headers=me)
    assert removed.status_code == 204
    assert (await client.get("/api/v1/notifications/me", headers=me)).json()["items"] == []


async def test_signed_out_callers_and_bad_cursors_are_refused(
    client: Client, api: NotificationsApi
) -> None:
    assert (await client.get("/api/v1/notifications/me")).status_code == 401
    bad = await client.get("/api/v1/notifications/me?cursor=nonsense", headers=api.auth(LEARNER))
    assert bad.status_code in (400, 422)
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert bad.json()["errors"][0]["field"] == "cursor"


async def test_preferences_are_read_replaced_and_validated(
    client: Client, api: NotificationsApi
) -> None:
    me = api.auth(LEARNER)
    defaults = (await client.get("/api/v1/notifications/preferences/me", headers=me)).json()
    assert defaults["channels"]["marketing"] == ["inbox"]
    assert (defaults["digest"], defaults["quiet_hours"]) == ("none", None)
    body = {
        "channels": {"labs": ["inbox", "push"], "marketing": []},
        "quiet_hours": {"start": "22:00", "end": "07:00"},
        "digest": "weekly",
        "digest_time": "09:30",
        "digest_weekday": 4,
    }
    put = await client.put("/api/v1/notifications/preferences/me", json=body, headers=me)
    assert put.status_code == 200, put.text
    again = (await client.get("/api/v1/notifications/preferences/me", headers=me)).json()
    assert again == put.json()
    assert again["channels"]["labs"] == ["inbox", "push"]
    assert again["channels"]["learning"] == ["email", "inbox", "push"]
    assert again["quiet_hours"] == {"start": "22:00", "end": "07:00"}
    for wrong, field in (
        ({"digest_time": "25:00"}, "digest_time"),
        ({"channels": {"labs": ["pigeon"]}}, "channels"),
        ({"digest": "hourly"}, "digest"),
        ({"volume": 11}, "volume"),
    ):
        refused = await client.put(
            "/api/v1/notifications/preferences/me", json={**body, **wrong}, headers=me
        )
        assert refused.status_code in (400, 422), refused.text
        assert field in refused.text


async def test_the_unsubscribe_link_works_signed_out_and_a_tampered_one_is_refused(
    client: Client, api: NotificationsApi
) -> None:
    await api.register(LEARNER)
    await api.mail_sent()
    [mail] = api.mailer.sent
    url = urlparse(mail.headers["List-Unsubscribe"].strip("<>"))
    assert url.path == "/api/v1/notifications/unsubscribe"
    [token] = parse_qs(url.query)["token"]
    done = await client.get(url.path, params={"token": token})
    assert (done.status_code, done.json()) == (200, {"category": "learning", "channel": "email"})
    one_click = await client.post(url.path, params={"token": token})
    assert one_click.status_code == 200
    prefs = await client.get("/api/v1/notifications/preferences/me", headers=api.auth(LEARNER))
    assert prefs.json()["channels"]["learning"] == ["inbox", "push"]
    tampered = await client.get(url.path, params={"token": token[:-3] + "xyz"})
    assert (tampered.status_code, tampered.json()["code"]) == (422, "invalid_unsubscribe_token")
    assert tampered.json()["errors"][0]["field"] == "token"
    assert (await client.get(url.path)).status_code in (400, 422)


async def test_admins_search_the_delivery_log_and_learners_may_not(
    client: Client, api: NotificationsApi
) -> None:
    await api.register(LEARNER)
    await api.mail_sent()
    path = "/api/v1/admin/notifications/deliveries"
    refused = await client.get(path, headers=api.auth(LEARNER))
    assert refused.status_code == 403
    found = await client.get(
        path, params={"recipient_id": "ada", "channel": "email"}, headers=api.auth(ADMIN)
    )
    [mail] = found.json()
    assert (mail["status"], mail["channel"]) == ("sent", "email")
    assert [step["status"] for step in mail["history"]] == ["queued", "sent"]
    wrong = await client.get(path, params={"status": "lost"}, headers=api.auth(ADMIN))
    assert wrong.status_code in (400, 422)


async def test_every_operation_documents_its_statuses(client: Client) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    unsubscribe = schema["paths"]["/api/v1/notifications/unsubscribe"]["get"]["responses"]
    assert "422" in unsubscribe
    read = schema["paths"]["/api/v1/notifications/{notification_id}/read"]["post"]["responses"]
    assert {"401", "404"} <= set(read)
    admin = schema["paths"]["/api/v1/admin/notifications/deliveries"]["get"]["responses"]
    assert "403" in admin


async def test_users_sends_account_mail_through_the_internal_port_and_learners_may_not(
    client: Client, api: NotificationsApi
) -> None:
    body = {
        "kind": "password_reset",
        "user_id": "ada",
        "to": "ada@example.com",
        "display_name": "Ada",
        "action_url": "https://cmh.example/reset-password#token=abc",
        "expires_in_seconds": 3600,
    }
    path = "/internal/v1/notifications/transactional"
    users = Principal(user_id="service:users", roles=frozenset({"service"}))
    sent = await client.post(path, json=body, headers=api.auth(users))
    assert (sent.status_code, sent.json()["status"]) == (200, "sent")
    assert api.mailer.sent[-1].subject == "Reset your password"
    refused = await client.post(path, json=body, headers=api.auth(LEARNER))
    assert (refused.status_code, refused.json()["code"]) == (403, "service_only")
    wrong = await client.post(
        path, json={**body, "action_url": "javascript:alert(1)"}, headers=api.auth(users)
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "action_url"


async def test_sendgrid_events_move_the_delivery_log_and_unsigned_ones_are_refused(
    tmp_path: Path,
) -> None:
    signer = SendGridSigner()
    mail = MailSettings(provider=MailProvider.FILE, sendgrid_webhook_key=signer.verification_key)
    built = await build_notifications_test_app(
        tmp_path,
        FrozenClock(datetime.now(UTC).replace(microsecond=0)),
        settings=NotificationsSettings(public_url="https://cmh.example", mail=mail),
    )
    api = NotificationsApi(**{name: getattr(built, name) for name in built.__dataclass_fields__})
    path = "/api/v1/notifications/providers/sendgrid/events"
    log = "/api/v1/admin/notifications/deliveries"
    try:
        async with AsyncTestClient(api.app) as client:
            await api.register(LEARNER)
            await api.mail_sent()
            [sent] = (
                await client.get(log, params={"channel": "email"}, headers=api.auth(ADMIN))
            ).json()
            events = [
                {
                    "event": "delivered",
                    "sg_message_id": f"{sent['provider_message_id']}.filterdrecv-1",
                    "timestamp": 1772470801,
                }
            ]
            body, headers = signer.signed(events)
            tampered = await client.post(
                path, content=body.replace(b"delivered", b"bounce"), headers=headers
            )
            assert (tampered.status_code, tampered.json()["code"]) == (403, "bad_signature")
            recorded = await client.post(path, content=body, headers=headers)
            assert recorded.json() == {"recorded": 1}
            again = await client.post(path, content=body, headers=headers)
            assert again.json() == {"recorded": 0}  # redelivered by SendGrid: no change
            [delivered] = (
                await client.get(log, params={"channel": "email"}, headers=api.auth(ADMIN))
            ).json()
            assert [s["status"] for s in delivered["history"]] == ["queued", "sent", "delivered"]
    finally:
        await api.container.close()


async def test_without_a_verification_key_the_sendgrid_webhook_is_not_found(
    client: Client,
) -> None:
    answer = await client.post("/api/v1/notifications/providers/sendgrid/events", content=b"[]")
    assert (answer.status_code, answer.json()["code"]) == (404, "webhook_not_configured")
