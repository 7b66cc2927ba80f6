"""Users worker (distributed profile): publishes the outbox to Kafka and runs the Users
module's subscriptions (none yet).

    python -m cmh.apps.users.worker
"""

from __future__ import annotations

from faststream.asgi import AsgiFastStream

from cmh.apps.users.container import MODULES, build_container
from cmh.apps.users.settings import UsersServiceSettings, load_users_settings
from cmh.kernel.entrypoints import run_worker
from cmh.kernel.messaging.worker import create_worker_app


async def create_worker(settings: UsersServiceSettings) -> AsgiFastStream:
    return await create_worker_app(
        container=build_container(settings),
        modules=MODULES,
        title="CloudMastersHub Users worker",
        description="Publishes user.* events from the users outbox to Kafka.",
    )


def main() -> None:
    run_worker(load=load_users_settings, create_worker=create_worker)


if __name__ == "__main__":
    main()
