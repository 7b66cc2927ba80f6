"""Every context's Alembic version scripts ship in its app's PEX: Alembic loads them by
path, so Pants' import inference never sees them and the package's BUILD must name the
directory as an explicit dependency (a missing one surfaces only in the distributed
profile, as "Can't locate revision")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VERSION_DIRS = sorted(
    path
    for path in (ROOT / "packages").glob("*/src/cmh/*/**/*")
    if path.is_dir()
    and path.name in {"versions", "migrations"}
    and any(script.suffix == ".py" and script.name != "__init__.py" for script in path.iterdir())
)


def test_the_contexts_have_version_scripts() -> None:
    assert len(VERSION_DIRS) >= 8


@pytest.mark.parametrize("versions", VERSION_DIRS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_version_scripts_are_an_explicit_dependency(versions: Path) -> None:
    declared = [
        build
        for build in (versions.parent / "BUILD", versions.parent.parent / "BUILD")
        if build.exists()
        and re.search(
            rf'"dependencies": \[[^\]]*"\./{versions.relative_to(build.parent).as_posix()}"',
            build.read_text(),
        )
    ]
    assert declared, f"{versions.parent.relative_to(ROOT)}/BUILD must depend on ./{versions.name}"
