import pytest

from cmh.apps.seed.settings import load_seed_settings
from cmh.kernel.settings import SettingsError


def test_each_apps_settings_reach_the_job_under_the_apps_name() -> None:
    settings = load_seed_settings(
        {
            "CMH_USERS__DATABASE__URL": "postgresql+asyncpg://u@db/cmh_users",
            "CMH_USERS__TOKENS__PRIVATE_KEY_FILE": "/keys/users.pem",
            "CMH_LABS__DATABASE__URL": "postgresql+asyncpg://u@db/cmh_labs",
            "CMH_LABS__USERS_URL": "http://users-api",
            "CMH_CONTENT__CONTENT_STORAGE": "s3",
            "CMH_CONTENT__CONTENT__MONGO_DB": "content",
            "CMH_COURSES__SERVICES__LABS_URL": "http://labs-api",
            "CMH_COURSES__HTTP__PORT": "8102",  # an app's own variable the job has no use for
        }
    )
    assert settings.demo.seed is True
    assert settings.users.database.url.endswith("/cmh_users")
    assert settings.users.tokens.private_key_file == "/keys/users.pem"
    assert settings.labs.database.url.endswith("/cmh_labs")
    assert settings.labs.resolved_jwks_url == "http://users-api/api/v1/auth/jwks"
    assert (settings.content.content_storage, settings.content.content.mongo_db) == (
        "s3",
        "content",
    )
    assert settings.courses.services.labs_url == "http://labs-api"


def test_seeding_needs_the_users_signing_key_and_a_production_switch_needs_nothing() -> None:
    with pytest.raises(SettingsError, match="CMH_USERS__TOKENS__PRIVATE_KEY_FILE"):
        load_seed_settings({})
    assert load_seed_settings({"CMH_DEMO__SEED": "false"}).demo.seed is False
