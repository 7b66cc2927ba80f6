"""The committed snapshots match the code (this test is how `make test` runs the
contracts check), and each way a snapshot can go wrong is reported."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec

from cmh.contracts.catalog import Contract, all_contracts, event_versions
from cmh.contracts.events.base import IntegrationEvent
from cmh.contracts.http.users import EntitlementsResponse
from cmh.contracts.snapshots import SCHEMAS, check, render, review, write


def test_every_contract_matches_its_committed_snapshot() -> None:
    problems = check(all_contracts())
    assert not problems, "\n".join(str(p) for p in problems) + (
        "\n\nRegenerate compatible changes with `make contracts`; "
        "a breaking change needs a new version (see contracts/README.md)."
    )


def test_every_event_and_http_body_is_in_the_catalog() -> None:
    names = {c.name for c in all_contracts()}
    assert {"events/envelope", "events/user.erasure_requested.v1"} <= names
    assert "http/users.EntitlementsResponse" in names
    assert [e.VERSION for e in event_versions("course.completed")] == [1]


# ---- the committed entitlements contract, broken on purpose


def _committed(name: str) -> str:
    return (SCHEMAS / f"{name}.json").read_text(encoding="utf-8")


def _entitlements_without(field: str) -> dict[str, object]:
    fields = [
        (f.name, f.type) for f in msgspec.structs.fields(EntitlementsResponse) if f.name != field
    ]
    changed = msgspec.defstruct("EntitlementsResponse", fields, kw_only=True)
    return msgspec.json.schema(changed)


def test_dropping_a_field_of_a_committed_contract_is_incompatible() -> None:
    name = "http/users.EntitlementsResponse"
    problem = review(name, _entitlements_without("active"), _committed(name))
    assert problem is not None
    assert (problem.kind, problem.details) == (
        "incompatible",
        ("active: removed (the field is gone)",),
    )


# ---- each problem a snapshot directory can have


class PingedV1(IntegrationEvent, frozen=True, kw_only=True):
    TYPE = "test.pinged"
    TOPIC = "test.topic"
    target: str


class PingedWithCountV1(IntegrationEvent, frozen=True, kw_only=True):
    TYPE = "test.pinged"
    TOPIC = "test.topic"
    target: str
    count: int = 1


class PingedRenamedV1(IntegrationEvent, frozen=True, kw_only=True):
    TYPE = "test.pinged"
    TOPIC = "test.topic"
    host: str


PINGED = "events/test.pinged.v1"


def kinds(directory: Path, *contracts: Contract) -> list[tuple[str, str]]:
    return [(p.contract, p.kind) for p in check(contracts, directory)]


def test_a_contract_without_snapshot_is_missing_until_written(tmp_path: Path) -> None:
    contract = Contract(PINGED, PingedV1)
    assert kinds(tmp_path, contract) == [(PINGED, "missing")]
    assert write([contract], tmp_path) == []
    assert kinds(tmp_path, contract) == []
    assert json.loads((tmp_path / f"{PINGED}.json").read_text()) == msgspec.json.schema(PingedV1)


def test_a_compatible_change_is_stale_until_regenerated(tmp_path: Path) -> None:
    write([Contract(PINGED, PingedV1)], tmp_path)
    grown = Contract(PINGED, PingedWithCountV1)
    assert kinds(tmp_path, grown) == [(PINGED, "stale")]
    assert write([grown], tmp_path) == []
    assert kinds(tmp_path, grown) == []


def test_an_incompatible_change_fails_and_is_never_written(tmp_path: Path) -> None:
    write([Contract(PINGED, PingedV1)], tmp_path)
    before = (tmp_path / f"{PINGED}.json").read_text()
    renamed = Contract(PINGED, PingedRenamedV1)
    [problem] = check([renamed], tmp_path)
    assert problem.kind == "incompatible"
    assert set(problem.details) == {
        "target: removed (the field is gone)",
        "host: required (a reader of old data does not get it)",
    }
    assert [p.kind for p in write([renamed], tmp_path)] == ["incompatible"]
    assert (tmp_path / f"{PINGED}.json").read_text() == before


def test_a_snapshot_whose_contract_is_gone_is_retired(tmp_path: Path) -> None:
    write([Contract(PINGED, PingedV1)], tmp_path)
    assert kinds(tmp_path) == [(PINGED, "retired")]


def test_snapshots_are_stable_text() -> None:
    assert render({"b": 1, "a": [2]}) == '{\n  "a": [\n    2\n  ],\n  "b": 1\n}\n'
