import socket

import pytest
from dishka import Provider, Scope, make_async_container, provide
from faststream.kafka import KafkaBroker
from litestar.testing import AsyncTestClient
from prometheus_client import REGISTRY

from cmh.kernel.health import BrokerCheck, HealthChecks
from cmh.kernel.settings import HttpSettings
from cmh.kernel.web.app import create_http_app


class Check:
    def __init__(self, name: str, *, up: bool) -> None:
        self.name = name
        self.up = up

    async def check(self) -> None:
        if not self.up:
            raise ConnectionError(f"{self.name} is down")


def _gauge(name: str, role: str) -> float | None:
    return REGISTRY.get_sample_value("cmh_dependency_up", {"dependency": name, "role": role})


async def test_a_signal_down_degrades_but_keeps_the_process_ready() -> None:
    readiness = await HealthChecks(
        [Check("database", up=True)], [Check("broker-t1", up=False)]
    ).run()
    assert readiness.ready
    assert readiness.status == "degraded"
    assert readiness.checks["database"] == "up"
    assert readiness.checks["broker-t1"].startswith("down")
    assert _gauge("broker-t1", "signal") == 0
    assert _gauge("database", "required") == 1


async def test_a_required_check_down_is_not_ready() -> None:
    readiness = await HealthChecks([Check("store-t2", up=False)], [Check("b", up=True)]).run()
    assert not readiness.ready
    assert readiness.status == "down"
    assert _gauge("store-t2", "required") == 0


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_an_api_answers_200_degraded_while_its_broker_is_unreachable() -> None:
    broker = KafkaBroker(f"127.0.0.1:{_closed_port()}")

    class Health(Provider):
        scope = Scope.APP

        @provide
        def checks(self) -> HealthChecks:
            return HealthChecks([Check("database", up=True)], [BrokerCheck(broker)])

    app = create_http_app(
        container=make_async_container(Health()),
        route_handlers=[],
        title="t",
        http=HttpSettings(),
    )
    async with AsyncTestClient(app) as client:
        for _ in range(2):  # the second probe retries the connection, it does not hang
            response = await client.get("/health/ready")
            assert response.status_code == 200
            assert response.json()["status"] == "degraded"
            assert response.json()["checks"]["database"] == "up"
            assert response.json()["checks"]["broker"].startswith("down")
        assert (await client.get("/health/live")).status_code == 200
    await broker.stop()


@pytest.mark.parametrize("required_up", [True, False])
async def test_the_status_code_follows_the_required_checks_only(required_up: bool) -> None:
    class Health(Provider):
        scope = Scope.APP

        @provide
        def checks(self) -> HealthChecks:
            return HealthChecks([Check("database", up=required_up)], [Check("x", up=False)])

    app = create_http_app(
        container=make_async_container(Health()), route_handlers=[], title="t", http=HttpSettings()
    )
    async with AsyncTestClient(app) as client:
        response = await client.get("/health/ready")
    assert response.status_code == (200 if required_up else 503)
