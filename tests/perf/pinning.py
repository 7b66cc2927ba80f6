"""Which cores measure and which serve: the load generator alone on one, every server
process of a scenario (services, gateway, baseline alike) on the other, so that neither
steals time from the other and a baseline gets exactly the same share as its rival.

``CMH_BENCH_LOAD_CPUS`` / ``CMH_BENCH_SERVER_CPUS`` override the defaults (cores 0 and 1)
on a machine with more cores.
"""

from __future__ import annotations

import os

LOAD_CPUS = os.environ.get("CMH_BENCH_LOAD_CPUS", "0")
SERVER_CPUS = os.environ.get("CMH_BENCH_SERVER_CPUS", "1")


def pinned(args: list[str], cpus: str = SERVER_CPUS) -> list[str]:
    """``args`` run under ``taskset`` (which execs them: the pid stays the program's)."""
    return ["taskset", "-c", cpus, *args]


def pin_this_process(cpus: str = LOAD_CPUS) -> None:
    """For in-process benchmarks (rate-limit checks, the relay): off the servers' core."""
    os.sched_setaffinity(0, {int(c) for c in cpus.split(",")})
