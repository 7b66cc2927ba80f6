"""Every contract ``contracts`` declares, found by walking its modules: each integration
event (``cmh.contracts.events.*``) and each HTTP body (the Structs of
``cmh.contracts.http.*``). A contract added to one of those modules is in the catalog, so
it gets a JSON Schema snapshot and the compatibility check without being listed here."""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
from collections.abc import Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import msgspec

from cmh.contracts import events, http
from cmh.contracts.events.base import Envelope, IntegrationEvent


@dataclass(frozen=True, slots=True)
class Contract:
    """``name`` is the snapshot's path under ``contracts/schemas`` without ``.json``."""

    name: str
    type: type[msgspec.Struct]

    def schema(self) -> dict[str, Any]:
        return msgspec.json.schema(self.type)


def _modules(package: ModuleType) -> list[ModuleType]:
    names = sorted(m.name for m in pkgutil.iter_modules(package.__path__) if m.name != "base")
    return [importlib.import_module(f"{package.__name__}.{name}") for name in names]


def _structs_defined_in(module: ModuleType) -> Iterable[type[msgspec.Struct]]:
    for _, value in sorted(vars(module).items()):
        if (
            inspect.isclass(value)
            and issubclass(value, msgspec.Struct)
            and value.__module__ == module.__name__
        ):
            yield value


@functools.cache  # consumers look events up per message: walk the modules once
def event_types() -> tuple[type[IntegrationEvent], ...]:
    found = [
        struct
        for module in _modules(events)
        for struct in _structs_defined_in(module)
        if issubclass(struct, IntegrationEvent)
    ]
    return tuple(sorted(found, key=lambda e: (e.TYPE, e.VERSION)))


def event_versions(type_name: str) -> list[type[IntegrationEvent]]:
    """Every version of the event whose CloudEvents ``type`` is ``type_name``, oldest
    first (a breaking change is a new version published beside the old one)."""
    versions = [event for event in event_types() if type_name == event.TYPE]
    if not versions:
        raise KeyError(f"no contract declares the event type {type_name!r}")
    return versions


def event_contracts() -> list[Contract]:
    return [Contract(f"events/{e.TYPE}.v{e.VERSION}", e) for e in event_types()]


def http_contracts() -> list[Contract]:
    # Structs nested in a body (a rendition inside a playback answer) are snapshotted as
    # part of the body that carries them, and on their own: a client may decode either.
    return [
        Contract(f"http/{module.__name__.rsplit('.', 1)[1]}.{struct.__name__}", struct)
        for module in _modules(http)
        for struct in _structs_defined_in(module)
    ]


def all_contracts() -> list[Contract]:
    return [Contract("events/envelope", Envelope), *event_contracts(), *http_contracts()]
