from __future__ import annotations

from cmh.gateway.domain.routing import RouteTable
from cmh.gateway.settings import GatewaySettings


def test_notifications_owns_its_prefixes_and_its_admin_routes() -> None:
    settings = GatewaySettings()
    table = RouteTable(settings.routes)
    assert table.resolve("/api/v1/notifications/stream") == "notifications"
    assert table.resolve("/api/v1/notifications/unsubscribe") == "notifications"
    assert table.resolve("/api/v1/admin/notifications/deliveries") == "notifications"
    assert table.resolve("/api/v1/admin/users") == "users"
    assert [i.url for i in settings.upstreams["notifications"]] == ["http://127.0.0.1:8107"]
