"""Payments worker (distributed profile): the SQL outbox relay that publishes payment.*,
subscription.* and refund.* events, and the payments work (stored Stripe events handled
once, grace periods settled, tiers carried to users until they are taken).

    python -m cmh.apps.payments.worker
"""

from __future__ import annotations

from faststream.asgi import AsgiFastStream

from cmh.apps.payments.container import MODULES, build_container
from cmh.apps.payments.settings import PaymentsServiceSettings, load_payments_settings
from cmh.kernel.entrypoints import run_worker
from cmh.kernel.messaging.worker import create_worker_app


async def create_worker(settings: PaymentsServiceSettings) -> AsgiFastStream:
    return await create_worker_app(
        container=build_container(settings),
        modules=MODULES,
        title="CloudMastersHub Payments worker",
        description="The outbox relay and the payments work: Stripe events, grace periods, tiers.",
    )


def main() -> None:
    run_worker(load=load_payments_settings, create_worker=create_worker)


if __name__ == "__main__":
    main()
