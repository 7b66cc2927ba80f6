"""Every profile of the Notifications module composes into a strictly validated container
(nothing missing, nothing replaced without saying so); nothing is started."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from cmh.kernel.auth.authenticator import Authenticator
from cmh.kernel.auth.revocation import TokenStampSettings
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.di import JwksUrl
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.kernel.module import Profile, compose
from cmh.kernel.settings import DatabaseSettings, KafkaSettings, RedisSettings, SettingsError
from cmh.notifications.application.notify import Notify
from cmh.notifications.application.ports import UnsubscribeLinks
from cmh.notifications.module import NotificationsModule
from cmh.notifications.settings import NotificationsSettings
from cmh_testing.kernel.overrides import adding

SQLITE = DatabaseSettings(url="sqlite+aiosqlite:///:memory:")
KEY = base64.b64encode(b"k" * 32).decode()


def contexts(settings: NotificationsSettings) -> dict[Profile, dict[Any, Any]]:
    return {
        Profile.MEMORY: {NotificationsSettings: settings},
        Profile.EMBEDDED: {
            NotificationsSettings: settings,
            DatabaseSettings: SQLITE,
            InProcessBus: InProcessBus(),
        },
        Profile.DISTRIBUTED: {
            NotificationsSettings: settings,
            DatabaseSettings: SQLITE,
            KafkaSettings: KafkaSettings(),
            RedisSettings: RedisSettings(),
            TokenSettings: TokenSettings(),
            JwksUrl: JwksUrl("http://users.local/api/v1/auth/jwks"),
            TokenStampSettings: TokenStampSettings(),
        },
    }


class _AppsAuthenticate:
    async def authenticate(self, token: str) -> Any:
        raise AssertionError("not called")


def composed(profile: Profile, settings: NotificationsSettings) -> Any:
    overrides = (
        [] if profile is Profile.DISTRIBUTED else [adding((Authenticator, _AppsAuthenticate()))]
    )
    return compose(
        profile, [NotificationsModule()], context=contexts(settings)[profile], overrides=overrides
    )


@pytest.mark.parametrize("profile", list(Profile))
async def test_every_profile_composes(profile: Profile) -> None:
    container = composed(profile, NotificationsSettings(unsubscribe_key=KEY))
    await container.close()


async def test_the_memory_profile_builds_its_use_cases() -> None:
    container = composed(Profile.MEMORY, NotificationsSettings())
    async with container() as request:
        assert isinstance(await request.get(Notify), Notify)
    await container.close()


async def test_the_distributed_profile_refuses_to_sign_links_without_a_key() -> None:
    container = composed(Profile.DISTRIBUTED, NotificationsSettings())
    with pytest.raises(SettingsError):
        await container.get(UnsubscribeLinks)
    await container.close()
