"""One contract for every ``UpstreamDiscovery``: the static list, Kubernetes service DNS
(names resolved by this machine's resolver) and Consul (against the local fake of its
API; Consul's server is not open-source and not served)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import consul.aio
import pytest

from cmh.gateway.adapters.discovery.consul import ConsulDiscovery
from cmh.gateway.adapters.discovery.kubernetes_dns import KubernetesDnsDiscovery
from cmh.gateway.adapters.discovery.static import StaticDiscovery
from cmh.gateway.application.ports import DiscoveredInstance, UpstreamDiscovery
from cmh_testing.gateway.fake_consul import FakeConsul


@dataclass
class Arranged:
    discovery: UpstreamDiscovery
    present: str  # an upstream with an instance on 127.0.0.1:8101 (or the DNS name's)
    absent: str


def consul_client(fake: FakeConsul) -> consul.aio.Consul:
    host, port = fake.server.server_address[:2] if fake.server else ("", 0)
    return consul.aio.Consul(host=str(host), port=int(port), scheme="http")


@pytest.fixture(params=["static", "kubernetes-dns", "consul"])
async def arranged(request: pytest.FixtureRequest) -> AsyncIterator[Arranged]:
    if request.param == "static":
        yield Arranged(
            StaticDiscovery({"users": [("http://127.0.0.1:8101", 1)]}), "users", "courses"
        )
    elif request.param == "kubernetes-dns":
        # ``.invalid`` never resolves (RFC 6761); ``localhost`` always does.
        yield Arranged(
            KubernetesDnsDiscovery(name_template="{name}", port=8101, interval=0.05),
            "localhost",
            "courses.cmh.invalid",
        )
    else:
        fake = FakeConsul().start()
        fake.register("users", "users-1", "127.0.0.1", 8101)
        client = consul_client(fake)
        yield Arranged(ConsulDiscovery(client, wait="1s"), "users", "courses")
        await client.close()
        fake.stop()


async def test_finds_the_instances_of_an_upstream(arranged: Arranged) -> None:
    found = await arranged.discovery.instances(arranged.present)

    assert len(found) == 1
    assert found[0].url.startswith("http://")
    assert found[0].url.endswith(":8101")
    assert found[0].weight >= 1


async def test_an_unknown_upstream_has_no_instances(arranged: Arranged) -> None:
    assert await arranged.discovery.instances(arranged.absent) == []


async def test_watching_starts_with_the_current_instances(arranged: Arranged) -> None:
    changes = arranged.discovery.watch(arranged.present)
    try:
        first = await anext(changes)
    finally:
        await changes.aclose()  # type: ignore[attr-defined]

    assert first == await arranged.discovery.instances(arranged.present)


# --- Consul: what only a discovery that changes can show ------------------------------------


@pytest.fixture
async def fake_consul() -> AsyncIterator[FakeConsul]:
    fake = FakeConsul().start()
    yield fake
    fake.stop()


async def _next_change(
    changes: AsyncIterator[list[DiscoveredInstance]], act: Callable[[], None]
) -> list[DiscoveredInstance]:
    act()
    return await anext(changes)


async def test_consul_blocking_queries_follow_registrations_and_health(
    fake_consul: FakeConsul,
) -> None:
    fake_consul.register("users", "users-1", "10.0.0.1", 8101)
    client = consul_client(fake_consul)
    changes = ConsulDiscovery(client, wait="30s").watch("users")
    try:
        assert [i.url for i in await anext(changes)] == ["http://10.0.0.1:8101"]
        queries = fake_consul.queries

        added = await _next_change(
            changes, lambda: fake_consul.register("users", "users-2", "10.0.0.2", 8101, weight=3)
        )
        assert [(i.url, i.weight) for i in added] == [
            ("http://10.0.0.1:8101", 1),
            ("http://10.0.0.2:8101", 3),
        ]
        # One blocking query answered the change: nothing polled in between.
        assert fake_consul.queries == queries + 1

        failing = await _next_change(changes, lambda: fake_consul.set_passing("users-1", False))
        assert [i.url for i in failing] == ["http://10.0.0.2:8101"]

        gone = await _next_change(changes, lambda: fake_consul.deregister("users-2"))
        assert gone == []
    finally:
        await changes.aclose()  # type: ignore[attr-defined]
        await client.close()


async def test_consul_changes_elsewhere_do_not_repeat_the_same_list(
    fake_consul: FakeConsul,
) -> None:
    fake_consul.register("users", "users-1", "10.0.0.1", 8101)
    client = consul_client(fake_consul)
    changes = ConsulDiscovery(client, wait="30s").watch("users")
    try:
        await anext(changes)
        # Another service's registration moves the index; users' list is the same.
        fake_consul.register("courses", "courses-1", "10.0.0.9", 8102)
        changed = await _next_change(
            changes, lambda: fake_consul.register("users", "users-2", "10.0.0.2", 8101)
        )
        assert [i.url for i in changed] == ["http://10.0.0.1:8101", "http://10.0.0.2:8101"]
    finally:
        await changes.aclose()  # type: ignore[attr-defined]
        await client.close()
