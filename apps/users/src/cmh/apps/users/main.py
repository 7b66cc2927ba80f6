"""Users API (distributed profile).

python -m cmh.apps.users.main            serve the API
python -m cmh.apps.users.main migrate    run the database migrations, then exit
"""

from __future__ import annotations

from dishka import Provider
from litestar import Litestar

from cmh.apps.users.container import MODULES, build_container
from cmh.apps.users.settings import UsersServiceSettings, load_users_settings
from cmh.kernel.entrypoints import migrate_sql, run_api
from cmh.kernel.module import Profile, migrations_of, routes_of
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS
from cmh.kernel.web.app import create_http_app
from cmh.kernel.web.dead_letters import DeadLettersController
from cmh.users.application.ensure_admin import EnsureAdmin


def create_app(settings: UsersServiceSettings, *overrides: Provider) -> Litestar:
    container = build_container(settings, *overrides)

    return create_http_app(
        container=container,
        # The admin routes are the users service's behind the gateway: dead letters too.
        route_handlers=[*routes_of(Profile.DISTRIBUTED, MODULES), DeadLettersController],
        title="CloudMastersHub Users",
        http=settings.http,
    )


async def migrate(settings: UsersServiceSettings) -> None:
    container = build_container(settings)
    try:
        await migrate_sql(container, [KERNEL_MIGRATIONS, *migrations_of(MODULES)])
        admin = settings.bootstrap_admin
        if admin.email and admin.password:
            async with container() as request:
                user = await (await request.get(EnsureAdmin)).execute(
                    email=admin.email, password=admin.password, display_name=admin.display_name
                )
            print(f"==> administrator {user.email} is in place", flush=True)
    finally:
        await container.close()


def main() -> None:
    run_api(load=load_users_settings, create_app=create_app, migrate=migrate)


if __name__ == "__main__":
    main()
