"""The platform's alerts reach every administrator once per firing and once when resolved,
in the inbox and by mail at once (never held), and only from the holder of the secret."""

from __future__ import annotations

from collections.abc import AsyncIterator

import msgspec
import pytest

from cmh.contracts.http.notifications import AlertmanagerWebhook
from cmh.kernel.clock import FrozenClock
from cmh.kernel.errors import DependencyUnavailable, NotFound, Unauthenticated
from cmh.notifications.adapters.alerts.webhook_key import SharedSecretAlertKey
from cmh.notifications.adapters.memory.services import MemoryAdministrators
from cmh.notifications.application.conftest import NOW, World
from cmh.notifications.application.platform_alerts import TellAdministratorsOfAlerts
from cmh.notifications.application.ports import AlertWebhookKey, Recipient
from cmh.notifications.domain.channels import Channel
from cmh.notifications.domain.delivery import DeliveryStatus
from cmh_testing.notifications import memory_notifications

SECRET = "s" * 40
ROOT = Recipient(user_id="root", email="root@example.com", display_name="Root")
OPS = Recipient(user_id="ops", email="ops@example.com", display_name="Ops")


def webhook(
    status: str = "firing", *, starts_at: str = "2026-03-02T14:58:00Z"
) -> AlertmanagerWebhook:
    return msgspec.convert(
        {
            "version": "4",
            "status": status,
            "receiver": "administrators",
            "alerts": [
                {
                    "status": status,
                    "labels": {
                        "alertname": "ServiceDown",
                        "severity": "critical",
                        "service": "labs",
                    },
                    "annotations": {"summary": "labs api is down", "description": "No scrape."},
                    "startsAt": starts_at,
                    "fingerprint": "a1b2c3d4e5f60718",
                }
            ],
        },
        AlertmanagerWebhook,
    )


@pytest.fixture
async def alerts_world() -> AsyncIterator[World]:
    clock = FrozenClock(NOW)
    container = memory_notifications(clock, (AlertWebhookKey, SharedSecretAlertKey(SECRET)))
    admins: MemoryAdministrators = await container.get(MemoryAdministrators)
    admins.administrators = [ROOT, OPS]
    yield World(container, clock, [])
    await container.close()


async def tell(world: World, payload: AlertmanagerWebhook, secret: str = SECRET) -> int:
    use_case: TellAdministratorsOfAlerts = await world.use(TellAdministratorsOfAlerts)
    answer = await use_case.execute(secret, payload)
    return answer.administrators


async def test_a_firing_alert_reaches_every_administrator_in_the_inbox_and_by_mail(
    alerts_world: World,
) -> None:
    assert await tell(alerts_world, webhook()) == 2
    await (await alerts_world.jobs()).drain()

    notes = await alerts_world.notifications()
    assert sorted(n.recipient_id for n in notes) == ["ops", "root"]
    assert {n.title for n in notes} == {"Alert ServiceDown (critical)"}
    assert "labs api is down" in notes[0].body
    sent = (await alerts_world.mailer()).sent
    assert sorted(m.to for m in sent) == ["ops@example.com", "root@example.com"]
    mails = [d for d in await alerts_world.deliveries() if d.channel is Channel.EMAIL]
    assert {d.status for d in mails} == {DeliveryStatus.SENT}


async def test_a_webhook_sent_again_tells_nobody_twice_and_the_end_is_told_once(
    alerts_world: World,
) -> None:
    await tell(alerts_world, webhook())
    await tell(alerts_world, webhook())  # Alertmanager's repeat_interval, or a retry
    assert len(await alerts_world.notifications()) == 2

    await tell(alerts_world, webhook("resolved"))
    await tell(alerts_world, webhook("resolved"))
    titles = sorted(n.title for n in await alerts_world.notifications())
    assert titles == ["Alert ServiceDown (critical)"] * 2 + ["Resolved: ServiceDown"] * 2

    # The same alert firing again later is a new firing: told again.
    await tell(alerts_world, webhook(starts_at="2026-03-02T16:00:00Z"))
    assert len(await alerts_world.notifications()) == 6


async def test_only_the_holder_of_the_secret_is_heard(alerts_world: World) -> None:
    for wrong in ("", "s" * 39, "t" * 40):
        with pytest.raises(Unauthenticated):
            await tell(alerts_world, webhook(), secret=wrong)
    assert await alerts_world.notifications() == []


async def test_without_a_secret_the_webhook_is_off(world: World) -> None:
    with pytest.raises(NotFound) as refused:
        await tell(world, webhook())
    assert refused.value.code == "webhook_not_configured"


async def test_users_away_is_a_dependency_failure_alertmanager_retries(alerts_world: World) -> None:
    (await alerts_world.get(MemoryAdministrators)).down = True
    with pytest.raises(DependencyUnavailable):
        await tell(alerts_world, webhook())


def test_a_short_secret_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="32 characters"):
        SharedSecretAlertKey("short")
