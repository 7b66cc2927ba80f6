from collections import Counter

from cmh.gateway.domain.balancer import UpstreamPool


def _picks(pool: UpstreamPool, n: int) -> list[str]:
    return [instance.url for instance in (pool.pick() for _ in range(n)) if instance]


def test_weights_share_the_traffic_smoothly() -> None:
    pool = UpstreamPool("courses", [("http://a", 3), ("http://b", 1)])
    assert _picks(pool, 4) == ["http://a", "http://a", "http://b", "http://a"]
    assert Counter(_picks(pool, 400)) == {"http://a": 300, "http://b": 100}


def test_an_unhealthy_instance_is_skipped_until_it_recovers() -> None:
    pool = UpstreamPool("courses", [("http://a", 1), ("http://b", 1)])
    pool.mark("http://b", healthy=False)
    assert set(_picks(pool, 10)) == {"http://a"}
    pool.mark("http://b", healthy=True)
    assert Counter(_picks(pool, 10)) == {"http://a": 5, "http://b": 5}


def test_no_healthy_instance_picks_nothing() -> None:
    pool = UpstreamPool("users", [("http://a", 1)])
    pool.mark("http://a", healthy=False)
    assert pool.pick() is None
    assert not pool.any_healthy
