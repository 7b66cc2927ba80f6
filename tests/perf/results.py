"""The table ``make bench`` prints: one row per scenario, its figure as a ratio to the
baseline measured in the same run, the target and whether it holds; the same rows as
``bench-results.json`` and a chart (``bench-results.svg``: ours against the baseline per
scenario, the target marked), both at the repository root and kept out of git."""

from __future__ import annotations

import json
import platform
import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from html import escape
from pathlib import Path

from tests.perf.servers import Server
from tests.perf.wrk import Run


@dataclass
class Row:
    scenario: str
    baseline: str
    target: str
    figure: str
    holds: bool | None  # None: reported, no target
    ratio: float | None = None  # ours / baseline, drawn on the chart
    goal: float | None = None  # the ratio the target asks for, drawn as a mark
    runs: list[dict[str, float | str]] = field(default_factory=list)


def median_run(name: str, runs: list[Run]) -> Run:
    """The run with the median throughput of several rounds (noise from neighbours)."""
    ordered = sorted(runs, key=lambda r: r.rps)
    middle = ordered[len(ordered) // 2]
    return Run(name, middle.requests, middle.seconds, middle.p50_ms, middle.p99_ms)


def alternate(rounds: int, *measures: Callable[[], Run]) -> list[Run]:
    """Each measure ``rounds`` times, interleaved (A B A B), median of each: a baseline
    and its rival see the same spells of load from the machine's other tenants."""
    seen: list[list[Run]] = [[] for _ in measures]
    for _ in range(rounds):
        for runs, measure in zip(seen, measures, strict=True):
            runs.append(measure())
    return [median_run(runs[0].name, runs) for runs in seen]


def throughput_row(scenario: str, baseline: str, ours: Run, base: Run, *, at_least: float) -> Row:
    ratio = ours.rps / base.rps
    return Row(
        scenario=scenario,
        baseline=baseline,
        target=f">= {at_least:.2f}x rps",
        figure=f"{ratio:.2f}x rps ({ours.rps:.0f} vs {base.rps:.0f})",
        holds=ratio >= at_least,
        ratio=ratio,
        goal=at_least,
        runs=[_run(ours), _run(base)],
    )


def rss_row(app: str, idle_mb: float, server: Server, *, at_most: float | None = None) -> Row:
    after_mb, peak_mb = server.settled_rss_mb(), server.rss_mb("VmHWM")
    holds = None if at_most is None else after_mb <= at_most
    return Row(
        scenario=f"RSS: {app}",
        baseline="-",
        target="reported" if at_most is None else f"<= {at_most:.0f} MB after load",
        figure=f"idle {idle_mb:.0f}, after load {after_mb:.0f}, peak {peak_mb:.0f} MB",
        holds=holds,
    )


def _run(run: Run) -> dict[str, float | str]:
    return {"name": run.name, "rps": round(run.rps, 1), "p50_ms": run.p50_ms, "p99_ms": run.p99_ms}


def mark(holds: bool | None) -> str:
    return {True: "holds", False: "MISSED", None: "reported"}[holds]


def print_table(rows: list[Row]) -> None:
    print("\n== targets (each a ratio to its baseline, measured in this run)")
    widths = (44, 40, 26)
    print(f"{'scenario':<{widths[0]}} {'figure':<{widths[1]}} {'target':<{widths[2]}} verdict")
    for row in rows:
        print(
            f"{row.scenario:<{widths[0]}} {row.figure:<{widths[1]}} "
            f"{row.target:<{widths[2]}} {mark(row.holds)}"
        )


def write(rows: list[Row], directory: Path, *, notes: dict[str, str]) -> tuple[Path, Path]:
    data = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), **notes},
        "rows": [asdict(row) for row in rows],
    }
    json_path = directory / "bench-results.json"
    json_path.write_text(json.dumps(data, indent=2) + "\n")
    svg_path = directory / "bench-results.svg"
    svg_path.write_text(chart(rows))
    return json_path, svg_path


def chart(rows: list[Row]) -> str:
    """Horizontal bars: ours as a ratio of the baseline (the baseline is 1.0), the target
    as a vertical tick; green where the target holds, red where it is missed."""
    drawn = [r for r in rows if r.ratio is not None]
    top = max([2.0, *(r.ratio or 0 for r in drawn), *(r.goal or 0 for r in drawn)]) * 1.1
    left, bar_width, line = 340, 460, 28
    height = 60 + line * len(drawn)
    scale = bar_width / top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + bar_width + 140}" '
        f'height="{height}" font-family="sans-serif" font-size="12">',
        '<text x="10" y="20" font-size="14">make bench: ours / baseline (same run); '
        "| = target</text>",
    ]
    for i, row in enumerate(drawn):
        y = 40 + i * line
        ratio = row.ratio or 0.0
        colour = {True: "#2e7d32", False: "#c62828", None: "#607d8b"}[row.holds]
        parts.append(f'<text x="10" y="{y + 14}">{escape(row.scenario[:52])}</text>')
        parts.append(
            f'<rect x="{left}" y="{y}" width="{ratio * scale:.1f}" height="18" fill="{colour}"/>'
        )
        parts.append(f'<text x="{left + ratio * scale + 6:.1f}" y="{y + 14}">{ratio:.2f}x</text>')
        if row.goal is not None:
            x = left + row.goal * scale
            parts.append(
                f'<line x1="{x:.1f}" y1="{y - 3}" x2="{x:.1f}" y2="{y + 21}" '
                'stroke="black" stroke-width="2"/>'
            )
    one = left + scale
    parts.append(
        f'<line x1="{one:.1f}" y1="30" x2="{one:.1f}" y2="{height - 10}" '
        'stroke="#999" stroke-dasharray="4 3"/>'
    )
    parts.append(f'<text x="{one + 3:.1f}" y="{height - 12}" fill="#666">baseline 1.0</text>')
    parts.append("</svg>\n")
    return "\n".join(parts)


def median(values: list[float]) -> float:
    return statistics.median(values)
