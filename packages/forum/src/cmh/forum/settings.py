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


class ForumSettings(msgspec.Struct, frozen=True):
    mongo_url: str = "mongodb://127.0.0.1:27017/"
    mongo_db: str = "cmh_forum"
    courses_url: str = "http://127.0.0.1:8102"
    search: ForumSearchSettings = ForumSearchSettings()
