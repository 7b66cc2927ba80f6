"""The embedded platform's hot paths served by an earlier tree and by this one, side by
side on the same core, alternating (A B A B): a change's cost in speed, as a ratio.

    python -m tests.perf.before_after <rev>      (default: the tree's parent commit)

The earlier tree is checked out into a temporary git worktree and served with its own
sources on the path (the same interpreter and dependencies)."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.perf.embedded_bench import COLD_CATALOG, access_token
from tests.perf.results import alternate
from tests.perf.servers import Server, serve
from tests.perf.wrk import run

ROOT = Path(__file__).resolve().parents[2]
GIT = shutil.which("git") or "git"
DOCS_ASSETS = "packages/kernel/src/cmh/kernel/web/docs_assets"


def source_path(tree: Path) -> str:
    roots = [
        *tree.glob("packages/*/src"),
        *tree.glob("packages/*/testing"),
        *tree.glob("apps/*/src"),
    ]
    return os.pathsep.join(str(p) for p in [*roots, tree / "contracts/src", tree])


def platform_env(tree: Path) -> dict[str, str]:
    return {
        "PYTHONPATH": source_path(tree),
        "CMH_DATA_DIR": tempfile.mkdtemp(prefix="cmh-before-after-"),
        "CMH_LOG_LEVEL": "WARNING",
        "CMH_GATEWAY__RATE_LIMITS__LOGIN__AMOUNT": "100000000",
        "CMH_GATEWAY__RATE_LIMITS__READ__AMOUNT": "100000000",
    }


def compare(before: Server, after: Server, rounds: int) -> None:
    me_before = {"Authorization": f"Bearer {access_token(before)}"}
    me_after = {"Authorization": f"Bearer {access_token(after)}"}
    paths = [
        ("users/me", "/api/v1/users/me", me_before, me_after, ""),
        ("courses, cached", "/api/v1/courses", {}, {}, ""),
        ("courses, cold", "/api/v1/courses", {}, {}, COLD_CATALOG),
    ]
    print(f"{'path':<18} {'before req/s':>13} {'after req/s':>12} {'after/before':>13}")
    for name, path, auth_before, auth_after, script in paths:
        old, new = alternate(
            rounds,
            functools.partial(run, "before", before.url + path, headers=auth_before, script=script),
            functools.partial(run, "after", after.url + path, headers=auth_after, script=script),
        )
        print(f"{name:<18} {old.rps:>13.0f} {new.rps:>12.0f} {new.rps / old.rps:>12.2f}x")


def main() -> None:
    rev = sys.argv[1] if len(sys.argv) > 1 else "HEAD~1"
    rounds = int(os.environ.get("CMH_BENCH_ROUNDS", "3"))
    earlier = Path(tempfile.mkdtemp(prefix="cmh-earlier-")) / "tree"
    subprocess.run(
        [GIT, "-C", str(ROOT), "worktree", "add", "--detach", str(earlier), rev], check=True
    )
    try:
        if (ROOT / DOCS_ASSETS).exists():  # fetched, not committed
            shutil.copytree(ROOT / DOCS_ASSETS, earlier / DOCS_ASSETS, dirs_exist_ok=True)
        target = "cmh.apps.platform.asgi:app"
        with (
            serve(target, env=platform_env(earlier), factory=True) as before,
            serve(target, env=platform_env(ROOT), factory=True) as after,
        ):
            print(f"before: {rev}   after: this tree   ({rounds} rounds each, medians)")
            compare(before, after, rounds)
    finally:
        subprocess.run(
            [GIT, "-C", str(ROOT), "worktree", "remove", "--force", str(earlier)], check=False
        )


if __name__ == "__main__":
    main()
