"""The discard job: a pool environment nobody will use is deleted and verified empty.
What a failed teardown leaves is the reconciler's: the environment is not active, so its
resources are orphans."""

from __future__ import annotations

from cmh.labs.application.ports import CloudLabs, WarmPoolRepository
from cmh.labs.domain.warm_pool import WarmStatus


class DiscardWarmEnvironment:
    def __init__(self, pool: WarmPoolRepository, clouds: CloudLabs) -> None:
        self._pool = pool
        self._clouds = clouds

    async def execute(self, environment_id: str) -> None:
        environment = await self._pool.get(environment_id)
        if environment is None or environment.status is not WarmStatus.DISCARDED:
            return  # never tear down what is waiting or was handed to a learner
        cloud = self._clouds.for_provider(environment.provider)
        await cloud.tear_down(environment.id)
        leftovers = await cloud.inventory(environment.id)
        if leftovers:
            raise RuntimeError(
                f"{len(leftovers)} resources left in discarded environment {environment.id}"
            )
