from collections import Counter

from cmh.gateway.domain.balancer import OutlierPolicy, UpstreamPool

NOW = 1000.0


def _picks(pool: UpstreamPool, n: int, now: float = NOW) -> list[str]:
    return [instance.url for instance in (pool.pick(now) for _ in range(n)) if instance]


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
    assert pool.pick(NOW) is None
    assert not pool.any_healthy


def _pool() -> UpstreamPool:
    return UpstreamPool(
        "courses",
        [("http://a", 1), ("http://b", 1)],
        OutlierPolicy(failures=3, base_ejection=2.0, max_ejection=5.0),
    )


def test_consecutive_failures_on_live_traffic_eject_an_instance_for_a_while() -> None:
    pool = _pool()
    b = pool.instances[1]
    assert pool.failed(b, NOW) is None
    assert pool.failed(b, NOW) is None
    assert pool.failed(b, NOW) == 2.0
    assert set(_picks(pool, 10, NOW + 1.9)) == {"http://a"}
    assert set(_picks(pool, 10, NOW + 2.0)) == {"http://a", "http://b"}


def test_a_success_in_between_resets_the_count() -> None:
    pool = _pool()
    b = pool.instances[1]
    pool.failed(b, NOW)
    pool.failed(b, NOW)
    pool.succeeded(b)
    assert pool.failed(b, NOW) is None
    assert pool.any_available(NOW)


def test_back_on_probation_one_failure_ejects_again_for_longer_capped() -> None:
    pool = _pool()
    b = pool.instances[1]
    for _ in range(3):
        pool.failed(b, NOW)
    assert pool.failed(b, NOW + 1.0) is None, "calls under way when it was ejected do not count"
    assert pool.failed(b, NOW + 2.0) == 4.0
    assert pool.failed(b, NOW + 6.0) == 5.0  # 8 s, capped at 5
    pool.succeeded(b)
    for _ in range(2):
        assert pool.failed(b, NOW + 11.0) is None  # forgiven: three failures again
    assert pool.failed(b, NOW + 11.0) == 2.0


def test_a_passing_readiness_poll_ends_an_ejection_early() -> None:
    pool = _pool()
    b = pool.instances[1]
    for _ in range(3):
        pool.failed(b, NOW)
    pool.mark("http://b", healthy=True)
    assert "http://b" in _picks(pool, 4, NOW + 0.1)


def test_every_instance_ejected_picks_nothing_until_one_is_back() -> None:
    pool = _pool()
    for instance in pool.instances:
        for _ in range(3):
            pool.failed(instance, NOW)
    assert pool.pick(NOW + 1) is None
    assert not pool.any_available(NOW + 1)
    assert pool.any_healthy, "ejection is not the readiness verdict"
    assert pool.pick(NOW + 2) is not None
