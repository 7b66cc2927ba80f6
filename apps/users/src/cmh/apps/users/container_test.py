"""Account mail goes through notifications once its URL is configured; without it the
profile's own mailer stays (nothing is started: the container is only asked)."""

from __future__ import annotations

import msgspec
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cmh.apps.users.container import build_container
from cmh.apps.users.settings import UsersServiceSettings
from cmh.kernel.auth.tokens import TokenSettings
from cmh.users.adapters.mailer import RecordingMailer
from cmh.users.adapters.notifications_mailer import NotificationsAccountMailer
from cmh.users.application.ports import AccountMailer
from cmh.users.settings import AccountMailSettings, UsersSettings

PEM = (
    Ed25519PrivateKey.generate()
    .private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    .decode()
)


def settings(notifications_url: str) -> UsersServiceSettings:
    return UsersServiceSettings(
        tokens=TokenSettings(private_key_pem=PEM),
        users=msgspec.structs.replace(
            UsersSettings(),
            account_mail=AccountMailSettings(notifications_url=notifications_url),
        ),
    )


async def test_account_mail_goes_through_notifications_when_it_is_configured() -> None:
    container = build_container(settings("http://127.0.0.1:8107"))
    assert isinstance(await container.get(AccountMailer), NotificationsAccountMailer)
    await container.close()


async def test_without_it_the_profile_keeps_its_own_mailer() -> None:
    container = build_container(settings(""))
    assert isinstance(await container.get(AccountMailer), RecordingMailer)
    await container.close()
