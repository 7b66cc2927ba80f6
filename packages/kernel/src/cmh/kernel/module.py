"""What a bounded context contributes to a process, declared in one place.

Each context has one ``cmh.<context>.module`` with a ``ContextModule``: its dishka
providers for each profile, its Litestar route handlers, its FastStream subscriptions, its
migrations, the health checks it needs, its outbox relays, its startup work and the map
of its domain events. Apps and test
harnesses ``compose`` modules; nothing else lists providers. Containers validate strictly:
a provider that replaces another must say ``override=True`` (test fakes, the embedded
platform's in-process bridges), and one that replaces nothing is an error too.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from dishka import STRICT_VALIDATION, AsyncContainer, Provider, Scope, make_async_container
from dishka.integrations.litestar import LitestarProvider

from cmh.kernel.di import (
    InProcessBusProvider,
    KafkaProvider,
    LocalLeaseProvider,
    PostgresLeaseProvider,
    ReadReplicaProvider,
    SqlProvider,
)
from cmh.kernel.event_mapping import EventMap
from cmh.kernel.health import HealthCheck, HealthChecks
from cmh.kernel.messaging.ports import Subscription
from cmh.kernel.messaging.relays import Relay, RelayRunner
from cmh.kernel.secrets.di import secrets_providers
from cmh.kernel.secrets.settings import SecretsSettings
from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.migrate import MigrationSet
from cmh.kernel.web.auth import PrincipalProvider

Progress = Callable[[str], None]


class Profile(StrEnum):
    MEMORY = "memory"  # tests: in-memory fakes that stage writes until commit
    EMBEDDED = "embedded"  # every context in one process: SQLite, in-process bus, stand-ins
    DISTRIBUTED = "distributed"  # one service: PostgreSQL/MongoDB, Kafka, Redis, vendors


@dataclass(frozen=True)
class Health:
    """Check types a context needs, resolved from the container (the provider of a
    dependency provides its check: ``SqlProvider`` the ``DatabaseCheck`` ...): ``ready``
    ones decide readiness, ``signals`` only degrade it (see ``cmh.kernel.health``)."""

    ready: tuple[type[HealthCheck], ...] = ()
    signals: tuple[type[HealthCheck], ...] = ()


class ContextModule(ABC):
    """A context declares its providers; it overrides whatever else it has (the defaults
    contribute nothing)."""

    name: str = ""
    migrations: MigrationSet | None = None
    events: EventMap = EventMap()  # its domain events -> contracts events

    @abstractmethod
    def providers(self, profile: Profile) -> Sequence[Provider]:
        """The dishka providers of the context in ``profile``."""

    def routes(self, profile: Profile) -> Sequence[Any]:
        return ()

    def subscriptions(self) -> Sequence[Subscription]:
        return ()

    def health(self, profile: Profile) -> Health:
        return Health()

    def relays(self, profile: Profile) -> Sequence[type[Relay]]:
        """The outbox relays (resolved from the container) publishing its events."""
        return ()

    async def prepare(
        self, profile: Profile, container: AsyncContainer, progress: Progress
    ) -> None:
        """Startup work once migrations ran (e.g. rebuild an in-memory index); most
        contexts have none."""
        return None


def providers_of(profile: Profile, modules: Iterable[ContextModule]) -> list[Provider]:
    """Every module's providers in order; a provider class contributed by several modules
    (the kernel's engine, bus, cache ...) is kept once: configuration comes from the
    container context, never from a provider's constructor."""
    seen: set[type[Provider]] = set()
    kept: list[Provider] = []
    for module in modules:
        for provider in module.providers(profile):
            if type(provider) not in seen:
                seen.add(type(provider))
                kept.append(provider)
    return kept


def health_provider(profile: Profile, modules: Iterable[ContextModule]) -> Provider:
    """``HealthChecks`` from the union of the modules' declared checks."""
    healths = [module.health(profile) for module in modules]
    ready = dict.fromkeys(check for health in healths for check in health.ready)
    # A dependency one context cannot serve without is required, whoever else signals it.
    signals = dict.fromkeys(
        check for health in healths for check in health.signals if check not in ready
    )
    # A factory whose parameters are the check types, so dishka resolves them as its
    # dependencies (resolving them from inside a factory would wait on the container's
    # own lock).
    kinds = [*ready, *signals]

    names = [f"check_{i}" for i in range(len(kinds))]

    def checks(**found: HealthCheck) -> HealthChecks:
        resolved = [found[name] for name in names]
        return HealthChecks(resolved[: len(ready)], resolved[len(ready) :])

    checks.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, annotation=k)
            for n, k in zip(names, kinds, strict=True)
        ],
        return_annotation=HealthChecks,
    )
    checks.__annotations__ = {**dict(zip(names, kinds, strict=True)), "return": HealthChecks}
    provider = Provider(scope=Scope.APP)
    provider.provide(checks, provides=HealthChecks)
    return provider


def assemble(
    *providers: Provider, context: Mapping[Any, Any], events: EventMap | None = None
) -> AsyncContainer:
    """A strictly validated container; each ``context`` value (settings, mostly) is
    declared once here, so providers only ask for them; ``events`` is the process's map
    from domain events to contracts events."""
    settings = Provider(scope=Scope.APP)
    for key in context:
        settings.from_context(provides=key, scope=Scope.APP)
    settings.provide(lambda: events or EventMap(), provides=EventMap)
    return make_async_container(
        settings, *providers, context=dict(context), validation_settings=STRICT_VALIDATION
    )


def compose(
    profile: Profile,
    modules: Sequence[ContextModule],
    *,
    context: Mapping[Any, Any],
    overrides: Sequence[Provider] = (),
) -> AsyncContainer:
    """One container for the modules in ``profile``; ``overrides`` replace providers and
    must say so (``override=True``). ``SecretsSettings`` in the context picks the secrets
    store's providers (and, with Vault, the engine's dynamic credentials); a
    ``DatabaseSettings.read_url`` adds the read replica's."""
    secrets = context.get(SecretsSettings)
    database = context.get(DatabaseSettings)
    return assemble(
        *providers_of(profile, modules),
        health_provider(profile, modules),
        *(secrets_providers(secrets) if secrets is not None else ()),
        *([ReadReplicaProvider()] if database is not None and database.read_url else ()),
        *overrides,
        context=context,
        events=EventMap.merged(*(module.events for module in modules)),
    )


def migrations_of(modules: Iterable[ContextModule]) -> list[MigrationSet]:
    return [m.migrations for m in modules if m.migrations is not None]


def routes_of(profile: Profile, modules: Iterable[ContextModule]) -> list[Any]:
    return [route for module in modules for route in module.routes(profile)]


def subscriptions_of(modules: Iterable[ContextModule]) -> list[Subscription]:
    return [s for module in modules for s in module.subscriptions()]


async def prepare_all(
    profile: Profile,
    container: AsyncContainer,
    modules: Iterable[ContextModule],
    progress: Progress,
) -> None:
    for module in modules:
        await module.prepare(profile, container, progress)


async def relay_runner(
    profile: Profile, container: AsyncContainer, modules: Iterable[ContextModule]
) -> RelayRunner:
    """One runner for every relay the modules declare (a shared SQL outbox relay once)."""
    kinds = dict.fromkeys(kind for module in modules for kind in module.relays(profile))
    return RelayRunner([await container.get(kind) for kind in kinds])


def web_entrypoints() -> list[Provider]:
    """What a context's HTTP routes resolve per request: the caller (``Principal``) and
    the Litestar request."""
    return [PrincipalProvider(), LitestarProvider()]


def sql_outbox_and_bus(profile: Profile) -> list[Provider]:
    """A SQL database with its unit of work and outbox relay, and the bus the relay
    publishes to: SQLite-friendly lease and the in-process bus embedded, a PostgreSQL
    advisory lease and Kafka distributed."""
    if profile is Profile.DISTRIBUTED:
        return [SqlProvider(), PostgresLeaseProvider(), KafkaProvider()]
    return [SqlProvider(), LocalLeaseProvider(), InProcessBusProvider()]
