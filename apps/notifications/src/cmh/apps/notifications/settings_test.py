from __future__ import annotations

import pytest

from cmh.apps.notifications.settings import load_notifications_settings
from cmh.kernel.settings import SettingsError
from cmh.notifications.adapters.mail.settings import MailProvider

KEY = "ZmFrZS1rZXktZm9yLXRoZS1zZXR0aW5ncy10ZXN0cyE="


def test_notifications_settings_come_from_the_environment() -> None:
    settings = load_notifications_settings(
        {
            "CMH_NOTIFICATIONS__UNSUBSCRIBE_KEY": KEY,
            "CMH_NOTIFICATIONS__MAIL__PROVIDER": "sendgrid",
            "CMH_NOTIFICATIONS__MAIL__SENDGRID_API_KEY": "SG.secret",
            "CMH_NOTIFICATIONS__QUEUE__ENDPOINT_URL": "http://127.0.0.1:5056",
            "CMH_NOTIFICATIONS__USERS__CLIENT_SECRET": "users-secret",
            "CMH_USERS_URL": "http://users:8101",
        }
    )
    assert settings.notifications.mail.provider is MailProvider.SENDGRID
    assert settings.notifications.queue.endpoint_url == "http://127.0.0.1:5056"
    assert settings.http.port == 8107
    assert settings.resolved_jwks_url == "http://users:8101/api/v1/auth/jwks"
    for secret in (KEY, "SG.secret", "users-secret"):
        assert secret not in repr(settings)


def test_a_missing_unsubscribe_key_is_refused() -> None:
    with pytest.raises(SettingsError, match="CMH_NOTIFICATIONS__UNSUBSCRIBE_KEY"):
        load_notifications_settings({})
