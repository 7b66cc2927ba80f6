"""Production code never imports test code: the platform keeps the contract, and the
contract breaks when a production module imports a harness or a test module."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONTRACT = "production-imports-no-test-code"
TYPE = (
    "production_imports_no_test_code: "
    "tests.architecture.import_contracts.ProductionImportsNoTestCode"
)


def lint_imports(cwd: Path, *paths: Path) -> subprocess.CompletedProcess[str]:
    python_path = os.pathsep.join([*map(str, paths), *sys.path])
    return subprocess.run(  # noqa: S603 - the venv's own lint-imports
        [str(LINT_IMPORTS), "--no-cache", "--contract", CONTRACT],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": python_path},
        capture_output=True,
        text=True,
        check=False,
    )


def write(path: Path, text: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))


def shop(tmp_path: Path) -> tuple[Path, Path]:
    """A context laid out like ours: tests beside the code, a harness package beside src."""
    src, testing = tmp_path / "src", tmp_path / "testing"
    write(src / "shop" / "__init__.py")
    write(src / "shop" / "orders.py", "import json\n")
    write(src / "shop" / "orders_test.py", "from shop_testing.world import World\n")
    write(src / "shop" / "conftest.py", "from shop_testing.world import World\n")
    write(testing / "shop_testing" / "__init__.py")
    write(testing / "shop_testing" / "world.py", "from shop import orders\n\nWorld = orders\n")
    write(
        tmp_path / "pyproject.toml",
        f"""\
        [tool.importlinter]
        root_packages = ["shop", "shop_testing"]
        contract_types = ["{TYPE}"]

        [[tool.importlinter.contracts]]
        id = "{CONTRACT}"
        name = "Production code never imports test code"
        type = "production_imports_no_test_code"
        test_packages = ["shop_testing"]
        """,
    )
    return src, testing


def test_the_platform_keeps_production_free_of_test_code() -> None:
    # The Makefile's source roots, whatever PYTHONPATH this run was started with.
    roots = [*ROOT.glob("packages/*/src"), *ROOT.glob("packages/*/testing")]
    roots += [*ROOT.glob("apps/*/src"), ROOT / "contracts" / "src", ROOT]
    result = lint_imports(ROOT, *roots)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "KEPT" in result.stdout


def test_tests_and_harnesses_may_import_harnesses(tmp_path: Path) -> None:
    result = lint_imports(tmp_path, *shop(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_importing_a_harness_breaks_the_contract(tmp_path: Path) -> None:
    src, testing = shop(tmp_path)
    write(src / "shop" / "seed.py", "from shop_testing.world import World\n")
    result = lint_imports(tmp_path, src, testing)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout
    assert "shop.seed -> shop_testing.world (l.1)" in result.stdout


def test_production_importing_a_test_module_breaks_the_contract(tmp_path: Path) -> None:
    src, testing = shop(tmp_path)
    write(src / "shop" / "orders.py", "from shop.orders_test import World\n")
    result = lint_imports(tmp_path, src, testing)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "shop.orders -> shop.orders_test (l.1)" in result.stdout
