"""Flame graphs of a hot path under the bench's load: py-spy samples the server process
(pinned as in ``make bench``) while wrk drives it, and writes ``.profiles/<path>.svg``
(kept out of git).

    python -m tests.perf.profile me|catalog|cold|gateway [seconds]

Read them with the bench's caveat: on one shared core, time a process spends preempted
by its neighbour (the gateway's upstream, aiosqlite's threads) shows as on-CPU.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from cmh.kernel.auth.tokens import SigningKey
from tests.perf import embedded_bench
from tests.perf.gateway_bench import KEY_ENV, _pem, bearer, gateway_env
from tests.perf.servers import Server, serve
from tests.perf.wrk import Load, run

OUT = Path(".profiles")


@contextlib.contextmanager
def platform() -> Iterator[Server]:
    env = {
        "CMH_DATA_DIR": tempfile.mkdtemp(prefix="cmh-profile-"),
        "CMH_LOG_LEVEL": "WARNING",
        "CMH_GATEWAY__RATE_LIMITS__READ__AMOUNT": "100000000",
        "CMH_GATEWAY__RATE_LIMITS__LOGIN__AMOUNT": "100000000",
    }
    with serve("cmh.apps.platform.asgi:app", env=env, factory=True) as server:
        yield server


def record(name: str, server: Server, url: str, seconds: int, **request: object) -> Path:
    run("warm-up", url, load=Load(seconds=3, warmup_seconds=0), **request)  # type: ignore[arg-type]
    OUT.mkdir(exist_ok=True)
    svg = OUT / f"{name}.svg"
    # py-spy is a native binary (the dev extra), installed beside this interpreter.
    spy_binary = str(Path(sys.executable).with_name("py-spy"))
    spy = subprocess.Popen(
        [
            *(spy_binary, "record", "-p", str(server.pid), "-r", "200"),
            *("-d", str(seconds + 1), "--nonblocking", "-o", str(svg)),
        ]
    )
    time.sleep(0.5)
    measured = run(name, url, load=Load(seconds=seconds, warmup_seconds=0), **request)  # type: ignore[arg-type]
    spy.wait()
    print(measured.line())
    return svg


def main(path: str, seconds: int) -> Path:
    if path == "gateway":
        key = SigningKey.generate()
        up_env = {KEY_ENV: _pem(key)}
        with serve("tests.perf.gateway_bench:upstream_app", env=up_env, factory=True) as up:
            env = gateway_env(up.url, os.environ["CMH_TEST_REDIS_URL"])
            with serve("tests.perf.gateway_bench:gateway_app", env=env, factory=True) as gw:
                courses = gw.url + "/api/v1/courses"
                return record(path, gw, courses, seconds, headers=bearer(key))
    with platform() as server:
        if path == "me":
            auth = {"Authorization": f"Bearer {embedded_bench.access_token(server)}"}
            return record(path, server, server.url + "/api/v1/users/me", seconds, headers=auth)
        if path == "catalog":
            return record(path, server, server.url + "/api/v1/courses", seconds)
        if path == "cold":
            script = embedded_bench.COLD_CATALOG
            return record(path, server, server.url + "/api/v1/courses", seconds, script=script)
    raise SystemExit(f"unknown path {path!r}: me, catalog, cold or gateway")


if __name__ == "__main__":
    print(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10))
