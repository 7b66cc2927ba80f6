"""Every context's composition the seed job builds is complete: dishka checks each graph
when it is built, so a provider whose settings the job does not pass fails here, not at
`make up-distributed`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from dishka import AsyncContainer

from cmh.apps.seed import containers
from cmh.apps.seed.settings import SeedSettings

SETTINGS = SeedSettings()
COMPOSITIONS: dict[str, tuple[Callable[..., AsyncContainer], Any]] = {
    "users": (containers.users_container, SETTINGS.users),
    "content": (containers.content_container, SETTINGS.content),
    "labs": (containers.labs_container, SETTINGS.labs),
    "courses": (containers.courses_container, SETTINGS.courses),
    "assessments": (containers.assessments_container, SETTINGS.assessments),
    "payments": (containers.payments_container, SETTINGS.payments),
    "forum": (containers.forum_container, SETTINGS.forum),
}


@pytest.mark.parametrize("context", COMPOSITIONS)
async def test_the_seed_builds_every_contexts_container(context: str) -> None:
    build, app = COMPOSITIONS[context]
    container = build(app)  # raises on a missing factory
    await container.close()
