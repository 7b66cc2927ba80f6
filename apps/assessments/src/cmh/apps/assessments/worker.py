"""Assessments worker (distributed profile): the consumers (course completions issue
certificates, validated lab tasks, learners' names, course titles, user erasure) on
Kafka and the SQL outbox relay that publishes attempt.* and certificate.* events.

    python -m cmh.apps.assessments.worker
"""

from __future__ import annotations

from faststream.asgi import AsgiFastStream

from cmh.apps.assessments.container import MODULES, build_container
from cmh.apps.assessments.settings import (
    AssessmentsServiceSettings,
    load_assessments_settings,
)
from cmh.kernel.entrypoints import run_worker
from cmh.kernel.messaging.worker import create_worker_app


async def create_worker(settings: AssessmentsServiceSettings) -> AsgiFastStream:
    return await create_worker_app(
        container=build_container(settings),
        modules=MODULES,
        title="CloudMastersHub Assessments worker",
        description=(
            "Certificates on course completion, lab-task evidence, learners' names and "
            "course titles, user erasure; the outbox relay of attempt and certificate events."
        ),
    )


def main() -> None:
    run_worker(load=load_assessments_settings, create_worker=create_worker)


if __name__ == "__main__":
    main()
