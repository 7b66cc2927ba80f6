"""Forum API (distributed profile).

python -m cmh.apps.forum.main            serve the API
python -m cmh.apps.forum.main migrate    create the MongoDB indexes and the general
                                          board, then exit
"""

from __future__ import annotations

from dishka import Provider
from litestar import Litestar

from cmh.apps.forum.container import build_container, modules
from cmh.apps.forum.settings import ForumServiceSettings, load_forum_settings
from cmh.forum.di import ForumDatabase
from cmh.kernel.entrypoints import run_api
from cmh.kernel.module import Profile, prepare_all, routes_of
from cmh.kernel.web.app import create_http_app


def create_app(settings: ForumServiceSettings, *overrides: Provider) -> Litestar:
    container = build_container(settings, *overrides)
    return create_http_app(
        container=container,
        route_handlers=routes_of(Profile.DISTRIBUTED, modules(settings)),
        title="CloudMastersHub Forum",
        http=settings.http,
    )


async def migrate(settings: ForumServiceSettings) -> None:
    # No SQL here: the collections' indexes are the schema (ensured when the database
    # handle is first built); the general board is opened once.
    container = build_container(settings)
    try:
        db = await container.get(ForumDatabase)
        print(f"==> forum: indexes ensured in MongoDB database {db.name}", flush=True)
        await prepare_all(Profile.DISTRIBUTED, container, modules(settings), print)
    finally:
        await container.close()


def main() -> None:
    run_api(load=load_forum_settings, create_app=create_app, migrate=migrate)


if __name__ == "__main__":
    main()
