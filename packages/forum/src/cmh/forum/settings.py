"""Settings the forum's adapters read (filled by ``cmh.kernel.settings.load_settings``)."""

from __future__ import annotations

import msgspec


class ForumSearchSettings(msgspec.Struct, frozen=True):
    """``engine``: ``memory``, ``elasticsearch`` or ``algolia`` (``algolia_host`` empty:
    Algolia itself; a URL: a stand-in)."""

    engine: str = "memory"
    elasticsearch_url: str = "http://127.0.0.1:9200"
    index: str = "forum_posts"
    algolia_app_id: str = ""
    algolia_api_key: str = ""
    algolia_host: str = ""


class ForumUsersSettings(msgspec.Struct, frozen=True):
    """Where the users service answers @mention lookups (distributed profile),
    ``CMH_FORUM__USERS__*``; the forum asks with a service token of its own."""

    url: str = "http://127.0.0.1:8101"
    client_id: str = "forum"
    client_secret: str = ""
    timeout_seconds: float = 2.0
    attempts: int = 3

    def __repr__(self) -> str:
        secret = "<set>" if self.client_secret else None
        return f"ForumUsersSettings(url={self.url!r}, client_secret={secret})"

    __str__ = __repr__


class ForumSettings(msgspec.Struct, frozen=True):
    mongo_url: str = "mongodb://127.0.0.1:27017/"
    mongo_db: str = "cmh_forum"
    courses_url: str = "http://127.0.0.1:8102"
    search: ForumSearchSettings = ForumSearchSettings()
    users: ForumUsersSettings = ForumUsersSettings()
