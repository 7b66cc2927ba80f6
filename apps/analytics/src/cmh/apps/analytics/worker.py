"""Analytics worker (distributed profile): the consumers keeping every learning event as
a fact (courses, labs, assessments topics), forwarding to Mixpanel, user erasure; and the
SQL outbox relay that publishes recommendations.updated.

    python -m cmh.apps.analytics.worker
"""

from __future__ import annotations

from faststream.asgi import AsgiFastStream

from cmh.apps.analytics.container import MODULES, build_container
from cmh.apps.analytics.settings import AnalyticsServiceSettings, load_analytics_settings
from cmh.kernel.entrypoints import run_worker
from cmh.kernel.messaging.worker import create_worker_app


async def create_worker(settings: AnalyticsServiceSettings) -> AsgiFastStream:
    return await create_worker_app(
        container=build_container(settings),
        modules=MODULES,
        title="CloudMastersHub Analytics worker",
        description=(
            "Learning events kept once as facts, recommendations refreshed, selected events "
            "forwarded to Mixpanel, user erasure; the outbox relay of recommendations.updated."
        ),
    )


def main() -> None:
    run_worker(load=load_analytics_settings, create_worker=create_worker)


if __name__ == "__main__":
    main()
