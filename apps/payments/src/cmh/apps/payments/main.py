"""Payments API (distributed profile): stores each verified Stripe webhook once and answers.

python -m cmh.apps.payments.main            serve the API
python -m cmh.apps.payments.main migrate    run the database migrations, then exit
"""

from __future__ import annotations

from dishka import Provider
from litestar import Litestar

from cmh.apps.payments.container import MODULES, build_container
from cmh.apps.payments.settings import PaymentsServiceSettings, load_payments_settings
from cmh.kernel.entrypoints import migrate_sql, run_api
from cmh.kernel.module import Profile, migrations_of, routes_of
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS
from cmh.kernel.web.app import create_http_app


def create_app(settings: PaymentsServiceSettings, *overrides: Provider) -> Litestar:
    return create_http_app(
        container=build_container(settings, *overrides),
        route_handlers=routes_of(Profile.DISTRIBUTED, MODULES),
        title="CloudMastersHub Payments",
        http=settings.http,
    )


async def migrate(settings: PaymentsServiceSettings) -> None:
    container = build_container(settings)
    try:
        await migrate_sql(container, [KERNEL_MIGRATIONS, *migrations_of(MODULES)])
    finally:
        await container.close()


def main() -> None:
    run_api(load=load_payments_settings, create_app=create_app, migrate=migrate)


if __name__ == "__main__":
    main()
