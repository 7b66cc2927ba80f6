"""Assessments worker (distributed profile): the consumers (course completions issue
certificates, validated lab tasks, learners' names, course titles, user erasure) on
Kafka, the SQL outbox relay that publishes attempt.* and certificate.* events, and the
sweeper that closes attempts left open past their deadline.

    python -m cmh.apps.assessments.worker
"""

from __future__ import annotations

from faststream.asgi import AsgiFastStream

from cmh.apps.assessments.container import MODULES, build_container
from cmh.apps.assessments.settings import (
    AssessmentsServiceSettings,
    load_assessments_settings,
)
from cmh.assessments.timers import run_attempt_sweeper
from cmh.kernel.entrypoints import run_worker
from cmh.kernel.messaging.worker import create_worker_app
from cmh.kernel.timers import BackgroundLoops

# On shutdown, how long a running sweeper pass may finish.
SHUTDOWN_GRACE_SECONDS = 5.0


async def create_worker(settings: AssessmentsServiceSettings) -> AsgiFastStream:
    container = build_container(settings)
    app = await create_worker_app(
        container=container,
        modules=MODULES,
        title="CloudMastersHub Assessments worker",
        description=(
            "Certificates on course completion, lab-task evidence, learners' names and "
            "course titles, user erasure; the outbox relay of attempt and certificate events; "
            "the sweeper of abandoned attempts."
        ),
    )
    seconds = settings.assessments.sweeper_seconds
    loops = BackgroundLoops(
        SHUTDOWN_GRACE_SECONDS,
        attempt_sweeper=lambda stop: run_attempt_sweeper(container, seconds, stop),
    )
    app.after_startup(loops.start)
    app.on_shutdown(loops.stop)
    return app


def main() -> None:
    run_worker(load=load_assessments_settings, create_worker=create_worker)


if __name__ == "__main__":
    main()
