"""The ``CloudLabs`` port over the ``CloudLab`` adapters a process has."""

from __future__ import annotations

from collections.abc import Mapping

from cmh.kernel.errors import DependencyUnavailable
from cmh.labs.application.ports import CloudLab
from cmh.labs.domain.template import CloudProvider


class ConfiguredCloudLabs:
    def __init__(self, labs: Mapping[CloudProvider, CloudLab]) -> None:
        self._labs = dict(labs)

    def providers(self) -> tuple[CloudProvider, ...]:
        return tuple(self._labs)

    def for_provider(self, provider: CloudProvider) -> CloudLab:
        lab = self._labs.get(provider)
        if lab is None:
            raise DependencyUnavailable(
                f"this platform runs no {provider} labs", code="lab_provider_unavailable"
            )
        return lab
