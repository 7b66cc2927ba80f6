import pytest
from litestar.testing import AsyncTestClient

from cmh.apps.gateway.main import create_app
from cmh.apps.gateway.settings import load_gateway_settings
from cmh.gateway.domain.routing import RouteTable
from cmh.kernel.settings import SettingsError
from cmh_testing.gateway.servers import free_port

ENV = {
    "CMH_GATEWAY__PRINCIPAL_SECRET": "s",
    "CMH_GATEWAY__UPSTREAMS": (
        '{"users":[{"url":"http://127.0.0.1:9101","weight":2},{"url":"http://127.0.0.1:9111"}],'
        '"courses":[{"url":"http://127.0.0.1:9102"}],"content":[{"url":"http://127.0.0.1:9103"}],'
        '"labs":[{"url":"http://127.0.0.1:9104"}],'
        '"assessments":[{"url":"http://127.0.0.1:9105"}],'
        '"payments":[{"url":"http://127.0.0.1:9106"}],"forum":[{"url":"http://127.0.0.1:9109"}],'
        '"notifications":[{"url":"http://127.0.0.1:9107"}],'
        '"analytics":[{"url":"http://127.0.0.1:9108"}]}'
    ),
    "CMH_GATEWAY__UPSTREAM_TIMEOUTS": '{"content":{"read":120}}',
    "CMH_GATEWAY__RATE_LIMITS__AUTH__AMOUNT": "5",
    "CMH_HTTP__PORT": "9080",
    "CMH_RATE_LIMIT_STORE": "memory",
}


def test_upstreams_and_limits_come_from_the_environment() -> None:
    settings = load_gateway_settings(ENV)
    users = settings.gateway.upstreams["users"]
    assert [(i.url, i.weight) for i in users] == [
        ("http://127.0.0.1:9101", 2),
        ("http://127.0.0.1:9111", 1),
    ]
    assert settings.gateway.timeouts_for("content").read == 120
    assert settings.gateway.timeouts_for("users").read == 30
    assert settings.gateway.rate_limits.auth.amount == 5
    assert settings.gateway.rate_limits.login.amount == 120
    assert settings.gateway.rate_limits.read.amount == 600
    assert settings.http.port == 9080
    assert settings.gateway.resolved_jwks_url() == "http://127.0.0.1:9101/.well-known/jwks.json"


def test_labs_and_its_admin_routes_go_to_labs_and_a_lessons_lab_to_courses() -> None:
    routes = RouteTable(load_gateway_settings(ENV).gateway.routes)

    assert routes.resolve("/api/v1/labs/templates") == "labs"
    assert routes.resolve("/api/v1/admin/labs/sessions") == "labs"
    assert routes.resolve("/api/v1/admin/users/u-1") == "users"
    assert routes.resolve("/api/v1/courses/c-1/lessons/l-1/lab") == "courses"  # it asks labs
    assert routes.resolve("/api/v1/courses/c-1/lessons/l-1/complete") == "courses"


def test_assessments_routes_and_a_lessons_quiz_go_to_assessments() -> None:
    routes = RouteTable(load_gateway_settings(ENV).gateway.routes)

    assert routes.resolve("/api/v1/assessments/quizzes/q-1/attempts") == "assessments"
    assert routes.resolve("/api/v1/certificates/verify/CMH-1") == "assessments"
    assert routes.resolve("/api/v1/admin/certificates/c-1/revoke") == "assessments"
    assert routes.resolve("/api/v1/courses/c-1/lessons/l-1/quiz") == "assessments"
    assert routes.resolve("/api/v1/courses/c-1/lessons/l-1/content") == "courses"


def test_analytics_and_recommendations_go_to_analytics() -> None:
    routes = RouteTable(load_gateway_settings(ENV).gateway.routes)

    assert routes.resolve("/api/v1/analytics/me/dashboard") == "analytics"
    assert routes.resolve("/api/v1/analytics/courses/c-1/charts/funnel.svg") == "analytics"
    assert routes.resolve("/api/v1/recommendations/me") == "analytics"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"CMH_GATEWAY__PRINCIPAL_SECRET": ""}, "PRINCIPAL_SECRET"),
        ({"CMH_GATEWAY__UPSTREAMS": "{not json"}, "CMH_GATEWAY__UPSTREAMS"),
        ({"CMH_GATEWAY__ROUTES": '{"/api/v1/billing":"billing"}'}, "billing"),
        # The default routes name labs: upstreams without it are refused, not half-routed.
        ({"CMH_GATEWAY__UPSTREAMS": '{"users":[{"url":"http://127.0.0.1:9101"}]}'}, "labs"),
        ({"CMH_RATE_LIMIT_STORE": "disk"}, "CMH_RATE_LIMIT_STORE"),
        ({"CMH_FORWARDED_ALLOW_IPS": "10.0.0.5"}, "CMH_HTTP__FORWARDED_ALLOW_IPS"),
        ({"CMH_HTTP__FORWARDED_ALLOW_IPS": "load-balancer"}, "not an IP address"),
    ],
)
def test_bad_settings_name_the_variable(change: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_gateway_settings({**ENV, **change})


async def test_the_app_starts_and_answers_health_and_404() -> None:
    nobody = f"http://127.0.0.1:{free_port()}"
    upstreams = f'{{"users":[{{"url":"{nobody}"}}],"courses":[{{"url":"{nobody}"}}]}}'
    routes = '{"/api/v1/users":"users","/api/v1/courses":"courses"}'
    settings = load_gateway_settings(
        {
            **ENV,
            "CMH_GATEWAY__UPSTREAMS": upstreams,
            "CMH_GATEWAY__ROUTES": routes,
            "CMH_GATEWAY__HEALTH_INTERVAL_SECONDS": "3600",
        }
    )
    async with AsyncTestClient(create_app(settings)) as client:
        assert (await client.get("/health/live")).status_code == 200
        # No upstream runs: readiness says so.
        assert (await client.get("/health/ready")).status_code == 503
        assert (await client.get("/internal/v1/users/x")).status_code == 404
