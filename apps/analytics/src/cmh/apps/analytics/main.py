"""Analytics API (distributed profile).

python -m cmh.apps.analytics.main            serve the API
python -m cmh.apps.analytics.main migrate    run the database migrations, then exit
"""

from __future__ import annotations

from dishka import Provider
from litestar import Litestar

from cmh.apps.analytics.container import MODULES, build_container
from cmh.apps.analytics.settings import AnalyticsServiceSettings, load_analytics_settings
from cmh.kernel.entrypoints import migrate_sql, run_api
from cmh.kernel.module import Profile, migrations_of, routes_of
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS
from cmh.kernel.web.app import create_http_app


def create_app(settings: AnalyticsServiceSettings, *overrides: Provider) -> Litestar:
    return create_http_app(
        container=build_container(settings, *overrides),
        route_handlers=routes_of(Profile.DISTRIBUTED, MODULES),
        title="CloudMastersHub Analytics",
        http=settings.http,
    )


async def migrate(settings: AnalyticsServiceSettings) -> None:
    container = build_container(settings)
    try:
        await migrate_sql(container, [KERNEL_MIGRATIONS, *migrations_of(MODULES)])
    finally:
        await container.close()


def main() -> None:
    run_api(load=load_analytics_settings, create_app=create_app, migrate=migrate)


if __name__ == "__main__":
    main()
