"""The load generator: ``wrk`` (a native, event-driven client; Debian package), pinned to
its own core so that it never competes with the servers it measures.

Each run is a warm-up followed by a fixed-duration measurement on the same connections'
settings; requests/s and the p50/p99 come from wrk's own latency histogram (its Lua
``done`` hook prints them exactly, in microseconds). A run with any error answer (4xx,
5xx) or socket error is refused: a figure made of errors compares nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass

from tests.perf.pinning import LOAD_CPUS

# Prints the summary as one JSON line after wrk's own report (--latency).
_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\nCMH-JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,'
    .. '"status_errors":%d,"socket_errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass(frozen=True)
class Run:
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        return (
            f"  {self.name:<46} {self.rps:>9.0f} req/s   p50 {self.p50_ms:>7.2f} ms   "
            f"p99 {self.p99_ms:>7.2f} ms"
        )


@dataclass(frozen=True)
class Load:
    """How hard and how long: ``connections`` kept busy by one wrk thread."""

    connections: int = 16
    warmup_seconds: float = 2.0
    seconds: float = float(os.environ.get("CMH_BENCH_SECONDS", "8"))


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise RuntimeError("wrk is not installed: `make bench` installs it (apt-get install wrk)")
    return found


def run(
    name: str,
    url: str,
    *,
    load: Load = Load(),
    headers: dict[str, str] | None = None,
    script: str = "",
) -> Run:
    """``script``: wrk Lua (``request = function() ... end``) for bodies or varying paths."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script + _DONE)
    try:
        if load.warmup_seconds:
            _wrk(url, load, headers, lua.name, load.warmup_seconds)
        output = _wrk(url, load, headers, lua.name, load.seconds)
    finally:
        os.unlink(lua.name)
    summary = json.loads(output.rsplit("CMH-JSON ", 1)[1].splitlines()[0])
    if summary["status_errors"] or summary["socket_errors"]:
        raise RuntimeError(
            f"{name}: {summary['status_errors']} error answers and "
            f"{summary['socket_errors']} socket errors in {summary['requests']} requests\n{output}"
        )
    return Run(
        name=name,
        requests=summary["requests"],
        seconds=summary["duration_us"] / 1e6,
        p50_ms=summary["p50_us"] / 1000,
        p99_ms=summary["p99_us"] / 1000,
    )


def _wrk(url: str, load: Load, headers: dict[str, str] | None, lua: str, seconds: float) -> str:
    args = ["taskset", "-c", LOAD_CPUS, wrk_binary(), "-t1", f"-c{load.connections}"]
    args += [f"-d{max(1, round(seconds))}s", "--latency", "--timeout", "10s", "-s", lua]
    for name, value in (headers or {}).items():
        args += ["-H", f"{name}: {value}"]
    done = subprocess.run([*args, url], capture_output=True, text=True, check=False)
    if done.returncode != 0 or "CMH-JSON" not in done.stdout:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return done.stdout


def post_json(body: bytes) -> str:
    """A wrk script sending ``body`` as a JSON POST."""
    return (
        'wrk.method = "POST"\n'
        f"wrk.body = {json.dumps(body.decode())}\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
    )
