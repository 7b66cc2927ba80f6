"""Composition rules every app and harness relies on: strict validation (overrides say
so, and must replace something), a provider class kept once across modules, health
checks unioned."""

from collections.abc import Sequence

import pytest
from dishka import Provider, Scope, provide
from dishka.exceptions import ImplicitOverrideDetectedError, NothingOverriddenError

from cmh.kernel.clock import Clock, FrozenClock, SystemClock
from cmh.kernel.di import ClockProvider
from cmh.kernel.health import HealthChecks
from cmh.kernel.module import ContextModule, Health, Profile, compose
from cmh_testing.kernel.overrides import replacing


class Answer:
    name = "answer"

    async def check(self) -> None:
        return None


class Signal(Answer):
    name = "signal"


class ChecksProvider(Provider):
    scope = Scope.APP
    answer = provide(Answer)
    signal = provide(Signal)


class Alpha(ContextModule):
    name = "alpha"

    def providers(self, profile: Profile) -> Sequence[Provider]:
        return [ClockProvider(), ChecksProvider()]

    def health(self, profile: Profile) -> Health:
        return Health(ready=(Answer,), signals=(Signal,))


class Beta(ContextModule):
    name = "beta"

    def providers(self, profile: Profile) -> Sequence[Provider]:
        return [ClockProvider()]  # the same kernel provider: kept once

    def health(self, profile: Profile) -> Health:
        return Health(ready=(Signal,))  # a signal for alpha, required by beta: required


class SneakyClock(Provider):
    scope = Scope.APP

    @provide
    def clock(self) -> Clock:
        return FrozenClock()


async def test_modules_compose_with_shared_providers_once_and_health_unioned() -> None:
    container = compose(Profile.EMBEDDED, [Alpha(), Beta()], context={})
    checks = await container.get(HealthChecks)
    assert [c.name for c in checks.checks] == ["answer", "signal"]
    assert list(checks.signals) == []
    assert isinstance(await container.get(Clock), SystemClock)
    await container.close()


async def test_an_explicit_override_replaces() -> None:
    frozen = FrozenClock()
    overrides = [replacing((Clock, frozen))]
    container = compose(Profile.EMBEDDED, [Alpha()], context={}, overrides=overrides)
    assert await container.get(Clock) is frozen
    await container.close()


def test_a_silent_override_fails_on_purpose() -> None:
    with pytest.raises(ImplicitOverrideDetectedError):
        compose(Profile.EMBEDDED, [Alpha()], context={}, overrides=[SneakyClock()])


def test_an_override_that_replaces_nothing_fails() -> None:
    with pytest.raises(NothingOverriddenError):
        compose(Profile.EMBEDDED, [Beta()], context={}, overrides=[replacing((Answer, Answer()))])
