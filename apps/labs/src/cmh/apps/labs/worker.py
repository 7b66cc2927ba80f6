"""Labs worker (distributed profile): the labs consumers (user erasure) on Kafka, the SQL
outbox relay that publishes lab.* events, the SQS job loop that provisions and tears
down sessions, and the periodic reaper and reconciler.

    python -m cmh.apps.labs.worker
"""

from __future__ import annotations

from faststream.asgi import AsgiFastStream

from cmh.apps.labs.background import LabWorkerLoops
from cmh.apps.labs.container import MODULES, build_container
from cmh.apps.labs.moto_operator import with_moto_operator
from cmh.apps.labs.settings import LabsServiceSettings, load_labs_settings
from cmh.kernel.entrypoints import run_worker
from cmh.kernel.messaging.worker import create_worker_app


async def create_worker(settings: LabsServiceSettings) -> AsgiFastStream:
    container = build_container(with_moto_operator(settings))
    app = await create_worker_app(
        container=container,
        modules=MODULES,
        title="CloudMastersHub Labs worker",
        description=(
            "Labs consumers (user erasure), the outbox relay, lab jobs from SQS, the reaper "
            "and the reconciler."
        ),
    )
    loops = LabWorkerLoops(container, settings.timers)
    app.after_startup(loops.start)
    app.on_shutdown(loops.stop)
    return app


def main() -> None:
    run_worker(load=load_labs_settings, create_worker=create_worker)


if __name__ == "__main__":
    main()
