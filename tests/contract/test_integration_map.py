"""The integration map is the code's (``make map`` regenerates it), and every row of the
seed's own integration map tables is in it, or listed in
``contracts/integration-map-pending.toml`` with its reason."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.contract import seed_map
from tests.contract.integration_map import MAP_FILE, Row, Tables, render


@pytest.fixture(scope="module")
def seed_rows() -> list[seed_map.SeedRow]:
    path = seed_map.seed_file()
    if path is None:
        pytest.skip("no seed with the integration map in ../shared/seed (or $CMH_SEED_DIR)")
    return seed_map.parse(seed_map.read(path))


def test_the_committed_map_is_what_the_code_says(tables: Tables) -> None:
    assert MAP_FILE.read_text(encoding="utf-8") == render(tables), (
        "contracts/integration-map.md is stale: run `make map` and commit it"
    )


def test_the_seed_tables_are_all_read(seed_rows: list[seed_map.SeedRow]) -> None:
    """A change in the seed's table syntax must not leave rows unread."""
    kinds = Counter(row.kind for row in seed_rows)
    assert kinds["services"] >= 20
    assert kinds["external"] >= 10
    assert kinds["infrastructure"] >= 12
    assert kinds["testing"] >= 4
    backwards = [row for row in seed_rows if "←" in row.get("Direction")]
    assert backwards, "the Direction arrows were not repaired"


def test_every_seed_row_is_built_or_listed_with_its_reason(
    tables: Tables, seed_rows: list[seed_map.SeedRow]
) -> None:
    pending = seed_map.pending()
    expected = list(seed_map.expectations(seed_rows))
    missing = [e.key for e in expected if not seed_map.met(e, tables) and e.key not in pending]
    built = [e.key for e in expected if seed_map.met(e, tables) and e.key in pending]
    unknown = sorted(set(pending) - {e.key for e in expected})
    assert not missing, (
        f"seed rows the map lacks (build them, or list them with a reason): {missing}"
    )
    assert not built, f"rows listed as pending that the map has (take them out): {built}"
    assert not unknown, f"pending rows that are not rows of the seed: {unknown}"


def test_a_call_between_services_answers_its_seed_row_only_in_its_direction() -> None:
    rows = seed_map.parse(
        "### Flows\n\n"
        "| Source Service | Target Service | Protocol | Integration Purpose | Direction |\n"
        "|---|---|---|---|---|\n"
        "| Payment Service | User Management Service | REST | tiers | \u201a\u00dc\u00ed |\n"
        "| Lab Environment Service | Course Management Service | REST | launch "
        "| \u201a\u00dc\u00ea |\n"
    )
    # The seed's arrows as it stores them: UTF-8 read as Mac Roman.
    forward, backward = seed_map.expectations(rows)
    assert not forward.either_way
    assert backward.either_way
    calls = Tables(
        services=[
            Row("User Management Service", "Payment Service", "REST", "", ""),
            Row("Course Management Service", "Lab Environment Service", "REST", "", ""),
        ]
    )
    assert not seed_map.met(forward, calls)
    assert seed_map.met(backward, calls)
