from __future__ import annotations

import pytest

from cmh.apps.payments.settings import load_payments_settings
from cmh.kernel.settings import SettingsError

SECRETS = {
    "CMH_PAYMENTS__STRIPE__API_KEY": "sk_test_123",
    "CMH_PAYMENTS__STRIPE__WEBHOOK_SECRET": "whsec_123",
    "CMH_PAYMENTS__USERS__CLIENT_SECRET": "client-secret",
}


def test_secrets_come_from_the_environment_or_the_service_does_not_start() -> None:
    with pytest.raises(SettingsError) as refused:
        load_payments_settings({})
    assert "CMH_PAYMENTS__STRIPE__API_KEY" in str(refused.value)
    settings = load_payments_settings({**SECRETS, "CMH_USERS_URL": "http://users:8000"})
    assert settings.payments.stripe.webhook_secret == "whsec_123"
    assert settings.resolved_jwks_url == "http://users:8000/api/v1/auth/jwks"
    assert settings.http.port == 8106
