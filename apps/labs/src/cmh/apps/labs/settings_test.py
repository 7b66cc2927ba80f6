import pytest

from cmh.apps.labs.settings import load_labs_settings
from cmh.kernel.settings import SettingsError

KEY = "ZmFrZS1rZXktZm9yLXRoZS1zZXR0aW5ncy10ZXN0cyE="


def test_labs_settings_come_from_the_environment() -> None:
    settings = load_labs_settings(
        {
            "CMH_LABS__VAULT__KEY": KEY,
            "CMH_LABS__AWS__ENDPOINT_URL": "http://127.0.0.1:5056",
            "CMH_LABS__JOBS__QUEUE_NAME": "jobs.fifo",
            "CMH_TIMERS__REAPER_SECONDS": "15",
            "CMH_USERS_URL": "http://users:8101",
        }
    )

    assert settings.labs.vault.key == KEY
    assert settings.labs.aws.endpoint_url == "http://127.0.0.1:5056"
    assert settings.labs.jobs.queue_name == "jobs.fifo"
    assert settings.timers.reaper_seconds == 15
    assert settings.resolved_jwks_url == "http://users:8101/api/v1/auth/jwks"
    assert KEY not in repr(settings)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({}, "CMH_LABS__VAULT__KEY"),
        ({"CMH_LABS__VAULT__KEY": KEY, "CMH_TIMERS__REAPER_SECONDS": "120"}, "REAPER_SECONDS"),
    ],
)
def test_a_missing_key_or_a_slow_reaper_is_refused(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_labs_settings(environ)
