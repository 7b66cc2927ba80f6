"""Content API (distributed profile).

python -m cmh.apps.content.main            serve the API
python -m cmh.apps.content.main migrate    create the MongoDB indexes, then exit

With ``CMH_CONTENT_STORAGE=local`` it also serves the signed ``/media`` URLs.
"""

from __future__ import annotations

from dishka import Provider
from litestar import Litestar

from cmh.apps.content.container import build_container, modules
from cmh.apps.content.settings import ContentServiceSettings, load_content_settings
from cmh.content.di import MongoDatabase
from cmh.kernel.entrypoints import run_api
from cmh.kernel.module import Profile, routes_of
from cmh.kernel.web.app import create_http_app


def create_app(settings: ContentServiceSettings, *overrides: Provider) -> Litestar:
    container = build_container(settings, *overrides)

    return create_http_app(
        container=container,
        route_handlers=routes_of(Profile.DISTRIBUTED, modules(settings)),
        title="CloudMastersHub Content",
        http=settings.http,
    )


async def migrate(settings: ContentServiceSettings) -> None:
    # No SQL here: the asset collection's indexes are the schema (ensure_indexes runs
    # when the database handle is first built).
    container = build_container(settings)
    try:
        db = await container.get(MongoDatabase)
        print(f"==> content: indexes ensured in MongoDB database {db.name}", flush=True)
    finally:
        await container.close()


def main() -> None:
    run_api(load=load_content_settings, create_app=create_app, migrate=migrate)


if __name__ == "__main__":
    main()
