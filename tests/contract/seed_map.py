"""The seed's integration map tables, read from the seed itself, and what each row asks of
the generated map (``tests/contract/integration_map.py``).

The seed is Markdown with pipe tables under ``###`` headings; its arrows and emoji were
saved as UTF-8 read as Mac Roman (``→`` reads as three Mac Roman characters), so each
line is repaired when it can be. A table is known by its header cells, not by its heading:

- ``Source Service | Target Service | Protocol | ...`` (with ``Direction``): a call or an
  event flow. ``→``: the source calls or publishes to the target. ``←``: the data flows from
  the target to the source, whichever of the two makes the REST call, so a call between the
  two in either direction answers the row.
- ``Consuming Service | External System | Protocol | ...``: a vendor a service uses.
- ``Component | ... | Used By | ...`` (or ``Data Sources``): infrastructure; a row naming
  services ("User, Payment, Analytics Services") asks for each of them, a row for "All ..."
  asks for the component.
- The numbered "Integration Testing Approach" list: one suite per approach (a named tool,
  Pact, is part of the row).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.contract.integration_map import ROOT, SERVICES, Tables

PENDING_FILE = ROOT / "contracts" / "integration-map-pending.toml"

# The seed's words for what the generated map names otherwise (each a set of names, any
# of which answers the row).
ALIASES: dict[str, frozenset[str]] = {
    "Cloud Provider APIs": frozenset({"AWS API", "Azure Resource Manager", "Google Cloud APIs"}),
    "Email Service (SendGrid)": frozenset({"SendGrid API"}),
    # One PostgreSQL server, each service its own database (no replicas: see pending).
    "PostgreSQL Primary": frozenset({"PostgreSQL"}),
    # The MongoDB wire protocol, served by FerretDB in every profile.
    "MongoDB Cluster": frozenset({"MongoDB"}),
    "Redis Cluster": frozenset({"Redis"}),
}
# Short service names of the infrastructure tables' "Used By" cells.
SHORT_NAMES: dict[str, str] = {
    name.split()[0]: name for name in SERVICES.values() if name != "API Gateway"
}
# The platform's email is sent by the notification service (SendGrid or SMTP, SQS jobs).
SHORT_NAMES["Email"] = SERVICES["notifications"]


def seed_file() -> Path | None:
    """The seed with the integration map: ``$CMH_SEED_DIR`` or ``../shared/seed``."""
    folder = Path(os.environ.get("CMH_SEED_DIR", ROOT.parent / "shared" / "seed"))
    if not folder.is_dir():
        return None
    for path in sorted(folder.glob("*.txt")) + sorted(folder.glob("*.md")):
        text = read(path)
        if "Service Integration Map" in text and "| Source Service" in text:
            return path
    return None


def repair(line: str) -> str:
    """UTF-8 that was decoded as Mac Roman, decoded again; a line that is not stays."""
    try:
        return line.encode("mac_roman").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return line


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


@dataclass(frozen=True)
class SeedRow:
    kind: str  # services, external, infrastructure, testing
    heading: str
    cells: tuple[tuple[str, str], ...]  # (header, value) in order

    def get(self, header: str) -> str:
        return next((value for name, value in self.cells if name == header), "")


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _kind(header: list[str]) -> str | None:
    if "Source Service" in header and "Target Service" in header:
        return "services"
    if "Consuming Service" in header and "External System" in header:
        return "external"
    if header and header[0] == "Component":
        return "infrastructure"
    return None


SEPARATOR = re.compile(r"^\|(\s*:?-+:?\s*\|)+\s*$")
NUMBERED = re.compile(r"^\s*\d+\.\s+\*\*(?P<name>[^*]+)\*\*\s*:\s*(?P<text>.+?)\s*$")


def parse(text: str) -> list[SeedRow]:
    lines = [repair(line) for line in text.splitlines()]
    rows: list[SeedRow] = []
    heading = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
        if (
            line.lstrip().startswith("|")
            and i + 1 < len(lines)
            and SEPARATOR.match(lines[i + 1].strip())
        ):
            header = _cells(line)
            kind = _kind(header)
            if kind is None:
                raise ValueError(f"a table of the seed this parser does not know: {header}")
            i += 2
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                values = _cells(lines[i])
                rows.append(SeedRow(kind, heading, tuple(zip(header, values, strict=False))))
                i += 1
            continue
        if "Integration Testing Approach" in heading and (found := NUMBERED.match(line)):
            rows.append(
                SeedRow(
                    "testing",
                    heading,
                    (("Approach", found["name"].strip()), ("Description", found["text"])),
                )
            )
        i += 1
    return rows


@dataclass(frozen=True)
class Expectation:
    """One thing a seed row asks of the map; ``key`` is how the pending list names it."""

    key: str
    kind: str
    source: str
    target: str
    protocol: str = ""
    either_way: bool = False


def _used_by(cell: str) -> list[str] | None:
    """The services a "Used By" cell names; None for "All ..."."""
    if cell.lower().startswith("all"):
        return None
    names = re.sub(r"\s+Services?$", "", cell.strip())
    return [SHORT_NAMES.get(n.strip(), n.strip()) for n in names.split(",") if n.strip()]


def expectations(rows: Iterable[SeedRow]) -> Iterator[Expectation]:
    for row in rows:
        if row.kind == "services":
            source, target = row.get("Source Service"), row.get("Target Service")
            protocol = row.get("Protocol")
            backwards = "←" in row.get("Direction") and protocol == "REST"
            arrow = "←" if backwards else "→"
            yield Expectation(
                f"{source} {arrow} {target} ({protocol})",
                "services",
                source,
                target,
                protocol,
                either_way=backwards,
            )
        elif row.kind == "external":
            source, target = row.get("Consuming Service"), row.get("External System")
            protocol = row.get("Protocol")
            yield Expectation(
                f"{source} → {target} ({protocol})", "external", source, target, protocol
            )
        elif row.kind == "infrastructure":
            component = row.get("Component")
            # The monitoring table has no "Used By" (its rows are about the whole platform).
            users = _used_by(row.get("Used By") or "All")
            if users is None:
                yield Expectation(component, "infrastructure", component, "")
            else:
                for user in users:
                    yield Expectation(f"{component} ← {user}", "infrastructure", component, user)
        elif row.kind == "testing":
            approach = row.get("Approach")
            if "Pact" in row.get("Description"):
                approach += " (Pact)"
            yield Expectation(approach, "testing", approach, "")


def _names(name: str) -> frozenset[str]:
    return ALIASES.get(name, frozenset({name}))


def met(expectation: Expectation, tables: Tables) -> bool:
    """Whether the generated map has what the seed row asks."""
    e = expectation
    if e.kind in ("services", "external"):
        calls = {r.key for r in (*tables.services, *tables.external)}
        pairs = [(e.source, t) for t in _names(e.target)]
        if e.either_way:
            pairs += [(t, e.source) for t in _names(e.target)]
        return any((s, t, e.protocol) in calls for s, t in pairs)
    if e.kind == "infrastructure":
        return any(
            row.source in _names(e.source) and (not e.target or row.target == e.target)
            for row in tables.infrastructure
        )
    return any(row.source == e.source for row in tables.testing)


@dataclass(frozen=True)
class Pending:
    seed: str
    status: str
    reason: str


STATUSES = ("not built", "built differently")


def pending() -> dict[str, Pending]:
    document = tomllib.loads(PENDING_FILE.read_text(encoding="utf-8"))
    found: dict[str, Pending] = {}
    for entry in document.get("row", []):
        item = Pending(entry["seed"], entry["status"], entry["reason"])
        if item.status not in STATUSES or not item.reason.strip():
            raise ValueError(f"{item.seed}: status must be one of {STATUSES}, with a reason")
        if item.seed in found:
            raise ValueError(f"listed twice: {item.seed}")
        found[item.seed] = item
    return found
