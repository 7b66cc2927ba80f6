from __future__ import annotations

import pytest

from cmh.forum.di import AlgoliaSearchProvider, ElasticsearchSearchProvider, MemorySearchProvider
from cmh.forum.module import ForumModule
from cmh.kernel.module import Profile


@pytest.mark.parametrize(
    ("engine", "provider"),
    [
        ("memory", MemorySearchProvider),
        ("elasticsearch", ElasticsearchSearchProvider),
        ("algolia", AlgoliaSearchProvider),
    ],
)
def test_the_search_engine_is_chosen_per_module(engine: str, provider: type) -> None:
    chosen = ForumModule(search=engine).providers(Profile.DISTRIBUTED)
    assert [type(p) for p in chosen if "Search" in type(p).__name__] == [provider]


def test_an_unknown_search_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="solr"):
        ForumModule(search="solr")
