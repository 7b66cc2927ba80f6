import asyncio
from datetime import timedelta

from cmh.kernel.clock import FrozenClock
from cmh.labs.adapters.memory.jobs import MemoryLabJobs
from cmh.labs.application.conftest import INSTRUCTOR, LEARNER, START, new_template
from cmh.labs.application.create_template import CreateTemplate
from cmh.labs.application.launch_lab import LaunchLab, LaunchRequest
from cmh.labs.application.ports import SessionRepository
from cmh.labs.timers import LabTimers, TimerSettings
from cmh_testing.labs import memory_labs


async def test_the_timers_reap_an_expired_session_and_stop_when_told() -> None:
    clock = FrozenClock(START)
    container = memory_labs(clock)
    async with container() as request:
        template = await (await request.get(CreateTemplate)).execute(INSTRUCTOR, new_template())
    async with container() as request:
        session = await (await request.get(LaunchLab)).execute(
            LEARNER, LaunchRequest(template_id=template.id)
        )
    jobs = await container.get(MemoryLabJobs)
    await jobs.drain()
    clock.advance(timedelta(hours=2))  # past the template's hour
    timers = LabTimers(container, TimerSettings(reaper_seconds=0.01, reconciler_seconds=0.01))
    stop = asyncio.Event()
    running = asyncio.create_task(timers.run(stop))
    while timers.passes["reaper"] < 2 or timers.passes["reconciler"] < 1:  # noqa: ASYNC110 (counts, not an event)
        await asyncio.sleep(0.01)
    stop.set()
    await asyncio.wait_for(running, timeout=5)
    sessions = await container.get(SessionRepository)
    stored = await sessions.get(session.id)
    assert stored is not None
    assert str(stored.status) in {"expiring", "tearing_down"}
    await container.close()
