import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cmh.apps.assessments.settings import load_assessments_settings
from cmh.kernel.settings import SettingsError

PEM = (
    Ed25519PrivateKey.generate()
    .private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    .decode()
)


def test_assessments_settings_come_from_the_environment() -> None:
    settings = load_assessments_settings(
        {
            "CMH_ASSESSMENTS__CREDENTIAL_KEYS__PRIVATE_KEY_PEM": PEM,
            "CMH_ASSESSMENTS__PUBLIC_URL": "https://cloudmastershub.example",
            "CMH_COURSES_URL": "http://courses:8102",
            "CMH_USERS_URL": "http://users:8101",
        }
    )
    assert settings.assessments.public_url == "https://cloudmastershub.example"
    assert settings.courses_url == "http://courses:8102"
    assert settings.resolved_jwks_url == "http://users:8101/api/v1/auth/jwks"
    assert settings.http.port == 8105
    assert "PRIVATE KEY" not in repr(settings)


def test_no_signing_key_no_start() -> None:
    with pytest.raises(SettingsError, match="PRIVATE_KEY_PEM"):
        load_assessments_settings({})


def test_proctorio_comes_from_the_environment_complete_or_not_at_all() -> None:
    proctorio = {
        "CMH_ASSESSMENTS__CREDENTIAL_KEYS__PRIVATE_KEY_PEM": PEM,
        "CMH_ASSESSMENTS__PROCTORIO__URL": "https://us15499ws.proctor.io/launch-path",
        "CMH_ASSESSMENTS__PROCTORIO__CONSUMER_KEY": "consumer",
        "CMH_ASSESSMENTS__PROCTORIO__CONSUMER_SECRET": "consumer-secret",
    }
    settings = load_assessments_settings(proctorio)
    assert settings.assessments.proctorio.consumer_key == "consumer"
    assert "consumer-secret" not in repr(settings)
    del proctorio["CMH_ASSESSMENTS__PROCTORIO__CONSUMER_SECRET"]
    with pytest.raises(SettingsError, match="CONSUMER_SECRET"):
        load_assessments_settings(proctorio)
    unset = load_assessments_settings({"CMH_ASSESSMENTS__CREDENTIAL_KEYS__PRIVATE_KEY_PEM": PEM})
    assert not unset.assessments.proctorio.configured


async def test_the_app_builds_with_its_routes() -> None:
    from cmh.apps.assessments.main import create_app

    app = create_app(
        load_assessments_settings({"CMH_ASSESSMENTS__CREDENTIAL_KEYS__PRIVATE_KEY_PEM": PEM})
    )
    paths = {route.path for route in app.routes}
    assert "/api/v1/certificates/verify/{code:str}" in paths
    assert "/api/v1/courses/{course_id:str}/lessons/{lesson_id:str}/quiz" in paths
