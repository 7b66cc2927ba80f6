from __future__ import annotations

import pytest

from cmh.courses.di import ElasticsearchSearchProvider, PostgresSearchProvider
from cmh.courses.module import CoursesModule
from cmh.kernel.module import Profile


def search_providers(module: CoursesModule) -> list[type]:
    kinds = (ElasticsearchSearchProvider, PostgresSearchProvider)
    return [type(p) for p in module.providers(Profile.DISTRIBUTED) if isinstance(p, kinds)]


def test_the_distributed_search_is_postgres_unless_elasticsearch_is_chosen() -> None:
    assert search_providers(CoursesModule()) == [PostgresSearchProvider]
    assert search_providers(CoursesModule(search="elasticsearch")) == [ElasticsearchSearchProvider]


def test_an_unknown_search_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="solr"):
        CoursesModule(search="solr")
