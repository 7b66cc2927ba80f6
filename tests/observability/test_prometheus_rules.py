"""The Prometheus configuration and rules in infra/observability are what promtool accepts,
and the alerts do what their unit tests (rules/alerts_test.yml) say; a broken rule or a
wrong expectation fails here, not in production."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.observability.binaries import OBSERVABILITY, promtool

RULES = OBSERVABILITY / "prometheus" / "rules"


def run_promtool(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - the promtool we built
        [str(promtool()), *map(str, args)], capture_output=True, text=True, timeout=120
    )


def test_the_configuration_and_its_rule_files_check() -> None:
    checked = run_promtool("check", "config", OBSERVABILITY / "prometheus" / "prometheus.yml")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "SUCCESS" in checked.stdout


def test_every_rule_file_checks() -> None:
    files = sorted(p for p in RULES.glob("*.yml") if not p.name.endswith("_test.yml"))
    assert [p.name for p in files] == ["alerts.yml", "recording.yml"]
    checked = run_promtool("check", "rules", *files)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_alerts_pass_their_unit_tests() -> None:
    tested = run_promtool("test", "rules", RULES / "alerts_test.yml")
    assert tested.returncode == 0, tested.stdout + tested.stderr
    print(tested.stdout.strip().splitlines()[-1])


def test_a_broken_rule_and_a_wrong_expectation_fail(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        (RULES / "alerts.yml").read_text().replace("expr: up == 0", "expr: up == == 0")
    )
    assert run_promtool("check", "rules", broken).returncode != 0

    for name in ("alerts.yml", "recording.yml"):
        shutil.copy(RULES / name, tmp_path / name)
    wrong = tmp_path / "alerts_test.yml"
    wrong.write_text(
        (RULES / "alerts_test.yml")
        .read_text()
        .replace('summary: "users api is down"', 'summary: "users api is up"')
    )
    assert run_promtool("test", "rules", wrong).returncode != 0
