"""Analytics worker (distributed profile): the consumers keeping every learning event as
a fact (courses, labs, assessments, payments topics; in batches, one transaction each),
forwarding to Mixpanel, user erasure; the SQL outbox relay that publishes
recommendations.updated; the timer retraining the recommendation model.

    python -m cmh.apps.analytics.worker
"""

from __future__ import annotations

from faststream.asgi import AsgiFastStream

from cmh.analytics.timers import RetrainTimer
from cmh.apps.analytics.container import MODULES, build_container
from cmh.apps.analytics.settings import AnalyticsServiceSettings, load_analytics_settings
from cmh.kernel.entrypoints import run_worker
from cmh.kernel.messaging.worker import create_worker_app
from cmh.kernel.timers import BackgroundLoops

# On shutdown, how long a running retraining pass may finish.
SHUTDOWN_GRACE_SECONDS = 10.0


async def create_worker(settings: AnalyticsServiceSettings) -> AsgiFastStream:
    container = build_container(settings)
    app = await create_worker_app(
        container=container,
        modules=MODULES,
        title="CloudMastersHub Analytics worker",
        description=(
            "Learning events kept once as facts, recommendations refreshed, selected events "
            "forwarded to Mixpanel, user erasure; the outbox relay of recommendations.updated; "
            "the recommendation model retrained in the background."
        ),
    )
    retrain = RetrainTimer(container, settings.analytics.retrain_check_seconds)
    loops = BackgroundLoops(SHUTDOWN_GRACE_SECONDS, analytics_retrain=retrain.run)
    app.after_startup(loops.start)
    app.on_shutdown(loops.stop)
    return app


def main() -> None:
    run_worker(load=load_analytics_settings, create_worker=create_worker)


if __name__ == "__main__":
    main()
