import pytest

from cmh.gateway.domain.access import RouteClass, classify
from cmh.gateway.domain.routing import RouteTable


@pytest.mark.parametrize(
    ("method", "path", "needs_token"),
    [
        ("POST", "/api/v1/auth/login", False),
        ("POST", "/api/v1/auth/password-reset/confirm", False),
        ("POST", "/api/v1/auth/sso/start", False),
        ("POST", "/api/v1/auth/sso/callback", False),
        ("POST", "/api/v1/auth/sso/link", False),
        ("GET", "/api/v1/auth/sso/start", True),
        ("POST", "/api/v1/auth/verify-email/resend", True),
        ("POST", "/api/v1/auth/introspect", True),
        ("GET", "/api/v1/courses", False),
        ("GET", "/api/v1/courses/c-1", False),
        ("GET", "/api/v1/courses/c-1/progress", True),
        ("GET", "/api/v1/courses/authored", True),
        ("POST", "/api/v1/courses", True),
        # Reordering an outline is authoring, even where a path ends in a fixed word.
        ("PUT", "/api/v1/courses/c-1/modules/order", True),
        ("PUT", "/api/v1/courses/c-1/modules/m-1/lessons/order", True),
        ("GET", "/api/v1/courses/c-1/modules/order", True),
        ("GET", "/api/v1/users/me", True),
        ("GET", "/api/v1/certificates/verify/CMH-AB12-CD34-EF56", False),
        ("GET", "/api/v1/certificates/keys", False),
        ("GET", "/api/v1/certificates/me", True),
        ("GET", "/api/v1/courses/c-1/lessons/l-1/quiz", True),
        ("POST", "/graphql", True),
        ("GET", "/health/ready", False),
        ("GET", "/schema/openapi.json", False),
        ("GET", "/api/v1/notifications/unsubscribe", False),
        ("POST", "/api/v1/notifications/unsubscribe", False),
        ("POST", "/api/v1/notifications/providers/sendgrid/events", False),
        ("GET", "/api/v1/notifications/providers/sendgrid/events", True),
        ("GET", "/api/v1/notifications/me", True),
        ("PUT", "/api/v1/notifications/preferences/me", True),
    ],
)
def test_the_public_allow_list(method: str, path: str, needs_token: bool) -> None:
    assert classify(method, path).needs_token is needs_token


@pytest.mark.parametrize(
    ("method", "path", "route_class"),
    [
        ("POST", "/api/v1/auth/login", RouteClass.LOGIN),
        ("POST", "/api/v1/auth/sso/start", RouteClass.LOGIN),
        ("POST", "/api/v1/auth/sso/callback", RouteClass.LOGIN),
        ("POST", "/api/v1/auth/sso/link", RouteClass.LOGIN),
        ("POST", "/api/v1/auth/register", RouteClass.REGISTER),
        ("POST", "/api/v1/auth/refresh", RouteClass.REFRESH),
        ("POST", "/api/v1/auth/logout", RouteClass.REFRESH),
        ("POST", "/api/v1/auth/password-reset", RouteClass.PASSWORD_RESET),
        ("POST", "/api/v1/auth/password-reset/confirm", RouteClass.PASSWORD_RESET),
        ("POST", "/api/v1/auth/verify-email", RouteClass.PASSWORD_RESET),
        ("POST", "/api/v1/auth/verify-email/resend", RouteClass.PASSWORD_RESET),
        ("GET", "/api/v1/auth/jwks", RouteClass.JWKS),
        ("GET", "/.well-known/jwks.json", RouteClass.JWKS),
        ("POST", "/api/v1/auth/introspect", RouteClass.AUTH),
        ("GET", "/.well-known/openid-configuration", RouteClass.AUTH),
    ],
)
def test_each_sign_in_route_has_its_own_budget_per_address(
    method: str, path: str, route_class: RouteClass
) -> None:
    access = classify(method, path)
    assert access.route_class is route_class
    assert access.per_address


def test_route_classes_and_exemptions() -> None:
    assert classify("GET", "/api/v1/courses").route_class is RouteClass.READ
    assert not classify("GET", "/api/v1/courses").per_address
    assert classify("DELETE", "/api/v1/users/me").route_class is RouteClass.WRITE
    assert not classify("GET", "/health/live").rate_limited
    assert classify("GET", "/internal/v1/users/x").blocked


def test_the_longest_prefix_wins_and_internal_is_never_routed() -> None:
    table = RouteTable({"/api/v1/courses": "courses", "/api/v1/courses/x": "special"})
    assert table.resolve("/api/v1/courses/x/y") == "special"
    assert table.resolve("/api/v1/coursesx") is None
    assert RouteTable({"/internal": "users"}).resolve("/internal/v1/a") is None
