"""Courses API (distributed profile).

python -m cmh.apps.courses.main            serve the API
python -m cmh.apps.courses.main migrate    run the database migrations, then exit
"""

from __future__ import annotations

from dishka import Provider
from litestar import Litestar

from cmh.apps.courses.container import build_container, modules_for
from cmh.apps.courses.settings import CoursesServiceSettings, load_courses_settings
from cmh.kernel.entrypoints import migrate_sql, run_api
from cmh.kernel.module import Profile, migrations_of, prepare_all, routes_of
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS
from cmh.kernel.web.app import create_http_app


def create_app(settings: CoursesServiceSettings, *overrides: Provider) -> Litestar:
    container = build_container(settings, *overrides)

    return create_http_app(
        container=container,
        route_handlers=routes_of(Profile.DISTRIBUTED, modules_for(settings)),
        title="CloudMastersHub Courses",
        http=settings.http,
    )


async def migrate(settings: CoursesServiceSettings) -> None:
    container = build_container(settings)
    try:
        modules = modules_for(settings)
        await migrate_sql(container, [KERNEL_MIGRATIONS, *migrations_of(modules)])
        # An Elasticsearch catalog index is rebuilt from the catalog (PostgreSQL needs nothing).
        await prepare_all(Profile.DISTRIBUTED, container, modules, print)
    finally:
        await container.close()


def main() -> None:
    run_api(load=load_courses_settings, create_app=create_app, migrate=migrate)


if __name__ == "__main__":
    main()
