"""Settings the Courses adapters read (filled by ``cmh.kernel.settings.load_settings``)."""

from __future__ import annotations

import msgspec


class MongoSettings(msgspec.Struct, frozen=True):
    url: str = "mongodb://127.0.0.1:27017/"
    database: str = "cmh_courses"


class ElasticsearchSettings(msgspec.Struct, frozen=True):
    url: str = "http://127.0.0.1:9200"
    index: str = "courses"
    # Text analyzer of title and summary: "english" needs the analysis-common module.
    analyzer: str = "standard"


class ServiceClientSettings(msgspec.Struct, frozen=True):
    """Where the users, content and labs services answer, and how patiently to ask them."""

    users_url: str = "http://127.0.0.1:8001"
    content_url: str = "http://127.0.0.1:8003"
    labs_url: str = "http://127.0.0.1:8004"
    timeout_seconds: float = 2.0
    attempts: int = 3
    breaker_threshold: int = 5
    breaker_ttl_seconds: float = 30.0
