"""Ending a session while a provisioning job moves it: the end is taken, not refused."""

from __future__ import annotations

from cmh.labs.application.conftest import LEARNER, Labs
from cmh.labs.application.end_session import EndSession
from cmh.labs.domain.session import LabSession, SessionStatus


class ProvisioningMeanwhile:
    """The session store, with a provisioning job saving the session between the end's
    read and its first save."""

    def __init__(self, labs: Labs) -> None:
        self._labs = labs
        self.raced = False

    def __getattr__(self, name: str) -> object:
        return getattr(self._labs.sessions, name)

    async def save(self, session: LabSession) -> None:
        if not self.raced:
            self.raced = True
            job_copy = await self._labs.sessions.get(session.id)
            assert job_copy is not None
            job_copy.start_provisioning(self._labs.clock.now())
            await self._labs.sessions.save(job_copy)
            await self._labs.uow.commit()
        await self._labs.sessions.save(session)


async def test_an_end_racing_a_provisioning_job_is_taken(labs: Labs) -> None:
    template = await labs.template()
    session = await labs.launch(template.id)
    racing = ProvisioningMeanwhile(labs)
    end = EndSession(racing, labs.jobs, labs.uow, labs.clock)  # type: ignore[arg-type]
    await end.execute(LEARNER, session.id)
    assert racing.raced
    assert labs.stored(session.id).status is SessionStatus.TEARING_DOWN
