"""Notifications API (distributed profile): the inbox, preferences, the unsubscribe link,
the admin delivery log and the live stream (WebSocket).

python -m cmh.apps.notifications.main            serve the API
python -m cmh.apps.notifications.main migrate    run the database migrations, then exit
"""

from __future__ import annotations

from dishka import Provider
from litestar import Litestar

from cmh.apps.notifications.container import MODULES, build_container
from cmh.apps.notifications.settings import (
    NotificationsServiceSettings,
    load_notifications_settings,
)
from cmh.kernel.entrypoints import migrate_sql, run_api
from cmh.kernel.module import Profile, migrations_of, routes_of
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS
from cmh.kernel.web.app import create_http_app


def create_app(settings: NotificationsServiceSettings, *overrides: Provider) -> Litestar:
    container = build_container(settings, *overrides)
    return create_http_app(
        container=container,
        route_handlers=routes_of(Profile.DISTRIBUTED, MODULES),
        title="CloudMastersHub Notifications",
        http=settings.http,
    )


async def migrate(settings: NotificationsServiceSettings) -> None:
    container = build_container(settings)
    try:
        await migrate_sql(container, [KERNEL_MIGRATIONS, *migrations_of(MODULES)])
    finally:
        await container.close()


def main() -> None:
    run_api(load=load_notifications_settings, create_app=create_app, migrate=migrate)


if __name__ == "__main__":
    main()
