"""JSON Schema snapshots of every contract, committed under ``contracts/schemas``.

    python -m cmh.contracts.snapshots write   # make contracts: (re)write the snapshots
    python -m cmh.contracts.snapshots check   # make contracts-check: fail on any problem

``check`` fails when a contract has no snapshot (``missing``), when the code breaks its
snapshot (``incompatible``: see ``compatibility``), when a snapshot has no contract any
more (``retired``: removing a contract breaks its readers too) and when a compatible
change was not regenerated (``stale``). ``write`` writes missing and compatible schemas
and refuses incompatible ones: a breaking change is a new version (``...V2``, a new
snapshot) beside the old one; deleting a snapshot is the deliberate, reviewed way to
retire or replace one.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cmh.contracts.catalog import Contract, all_contracts
from cmh.contracts.compatibility import breaking_changes

# contracts/src/cmh/contracts/snapshots.py -> contracts/schemas
SCHEMAS = Path(__file__).resolve().parents[3] / "schemas"


@dataclass(frozen=True, slots=True)
class Problem:
    contract: str
    kind: str  # missing | incompatible | retired | stale
    details: tuple[str, ...] = ()

    def __str__(self) -> str:
        lines = [f"{self.contract}: {self.kind}", *(f"    {d}" for d in self.details)]
        return "\n".join(lines)


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def review(name: str, schema: dict[str, Any], snapshot: str | None) -> Problem | None:
    """What is wrong between a contract's current ``schema`` and its committed text."""
    if snapshot is None:
        return Problem(name, "missing", ("run `make contracts` and commit the snapshot",))
    breaches = breaking_changes(json.loads(snapshot), schema)
    if breaches:
        return Problem(name, "incompatible", tuple(str(b) for b in breaches))
    if render(schema) != snapshot:
        return Problem(name, "stale", ("a compatible change: run `make contracts`",))
    return None


def retired(snapshots: Sequence[str], contracts: Sequence[str]) -> list[Problem]:
    """Snapshots whose contract is gone."""
    detail = "its readers break; delete the snapshot to retire the contract deliberately"
    return [Problem(name, "retired", (detail,)) for name in sorted(set(snapshots) - set(contracts))]


def _snapshot_names(directory: Path) -> list[str]:
    return [p.relative_to(directory).with_suffix("").as_posix() for p in directory.rglob("*.json")]


def _read(directory: Path, name: str) -> str | None:
    path = directory / f"{name}.json"
    return path.read_text(encoding="utf-8") if path.exists() else None


def check(contracts: Sequence[Contract], directory: Path = SCHEMAS) -> list[Problem]:
    problems = [
        problem
        for contract in contracts
        if (problem := review(contract.name, contract.schema(), _read(directory, contract.name)))
    ]
    return problems + retired(_snapshot_names(directory), [c.name for c in contracts])


def write(contracts: Sequence[Contract], directory: Path = SCHEMAS) -> list[Problem]:
    """Writes every snapshot that is missing or stale; returns what it refused to write."""
    refused: list[Problem] = []
    for contract in contracts:
        schema = contract.schema()
        problem = review(contract.name, schema, _read(directory, contract.name))
        if problem is None:
            continue
        if problem.kind == "incompatible":
            refused.append(problem)
            continue
        path = directory / f"{contract.name}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(schema), encoding="utf-8")
        print(f"wrote {path}")
    return refused + retired(_snapshot_names(directory), [c.name for c in contracts])


def main(argv: Sequence[str] = tuple(sys.argv[1:])) -> int:
    if list(argv) not in (["check"], ["write"]):
        print("usage: python -m cmh.contracts.snapshots check|write", file=sys.stderr)
        return 2
    contracts = all_contracts()
    problems = check(contracts) if argv[0] == "check" else write(contracts)
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"{len(contracts)} contracts match their snapshots in {SCHEMAS}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
