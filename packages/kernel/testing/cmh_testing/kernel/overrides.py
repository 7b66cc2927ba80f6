"""Explicit overrides for containers composed from the production modules: a test
replaces what it must drive or observe (a clock, a mailer, a stand-in service) and says
so, as strict validation requires."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dishka import Provider, Scope


def _constant(value: Any) -> Callable[[], Any]:
    def factory() -> Any:
        return value

    return factory


def replacing(*replacements: tuple[Any, Any]) -> Provider:
    """A provider answering each ``(type, value)`` with ``value`` in place of what the
    modules provide for ``type`` (an error when nothing was provided: a typo or a stale
    override fails loudly)."""
    provider = Provider(scope=Scope.APP)
    for kind, value in replacements:
        provider.provide(_constant(value), provides=kind, override=True)
    return provider


def adding(*additions: tuple[Any, Any]) -> Provider:
    """A provider answering each ``(type, value)`` the modules do not provide (a test's
    token authenticator for a context that trusts the users service's keys)."""
    provider = Provider(scope=Scope.APP)
    for kind, value in additions:
        provider.provide(_constant(value), provides=kind)
    return provider
