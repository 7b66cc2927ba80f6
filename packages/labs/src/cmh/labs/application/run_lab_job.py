"""What a lab worker does with a job from the queue, whichever queue carries it."""

from __future__ import annotations

from cmh.labs.application.discard_warm_environment import DiscardWarmEnvironment
from cmh.labs.application.ports import JobKind, LabJob
from cmh.labs.application.provision_session import ProvisionSession
from cmh.labs.application.provision_warm_environment import ProvisionWarmEnvironment
from cmh.labs.application.tear_down_session import TearDownSession


class RunLabJob:
    def __init__(
        self,
        provision: ProvisionSession,
        tear_down: TearDownSession,
        warm: ProvisionWarmEnvironment,
        discard: DiscardWarmEnvironment,
    ) -> None:
        self._provision = provision
        self._tear_down = tear_down
        self._warm = warm
        self._discard = discard

    async def execute(self, job: LabJob) -> None:
        match job.kind:
            case JobKind.PROVISION:
                await self._provision.execute(job.session_id)
            case JobKind.TEARDOWN:
                await self._tear_down.execute(job.session_id)
            case JobKind.WARM:
                await self._warm.execute(job.session_id)
            case JobKind.DISCARD:
                await self._discard.execute(job.session_id)
