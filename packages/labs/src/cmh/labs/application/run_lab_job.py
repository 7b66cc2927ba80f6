"""What a lab worker does with a job from the queue, whichever queue carries it."""

from __future__ import annotations

from cmh.labs.application.ports import JobKind, LabJob
from cmh.labs.application.provision_session import ProvisionSession
from cmh.labs.application.tear_down_session import TearDownSession


class RunLabJob:
    def __init__(self, provision: ProvisionSession, tear_down: TearDownSession) -> None:
        self._provision = provision
        self._tear_down = tear_down

    async def execute(self, job: LabJob) -> None:
        if job.kind is JobKind.PROVISION:
            await self._provision.execute(job.session_id)
        else:
            await self._tear_down.execute(job.session_id)
