from cmh.apps.analytics.settings import load_analytics_settings


def test_analytics_settings_come_from_the_environment() -> None:
    settings = load_analytics_settings(
        {
            "CMH_COURSES_URL": "http://courses:8102",
            "CMH_USERS_URL": "http://users:8101",
            "CMH_ANALYTICS__MIXPANEL__TOKEN": "project-token",
        }
    )
    assert settings.courses_url == "http://courses:8102"
    assert settings.resolved_jwks_url == "http://users:8101/api/v1/auth/jwks"
    assert settings.analytics.mixpanel.token == "project-token"
    assert settings.http.port == 8108


async def test_the_app_builds_with_its_routes() -> None:
    from cmh.apps.analytics.main import create_app

    paths = {route.path for route in create_app(load_analytics_settings({})).routes}
    assert "/api/v1/analytics/me/dashboard" in paths
    assert "/api/v1/recommendations/me" in paths
