"""The bounded schemathesis run both conformance tests share (the embedded platform's
document, and every service's document as the distributed gateway aggregates it): the same
checks (``schemathesis.toml``), seed and examples per operation.

``CMH_FUZZ_EXAMPLES`` sets the examples per operation: 25 in `make test`, 200 in the long
form (`make fuzz`)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

CONFIG = Path(__file__).with_name("schemathesis.toml")
LEARNER_HOOKS = Path(__file__).with_name("learner_auth.py")
EXAMPLES_PER_OPERATION = int(os.environ.get("CMH_FUZZ_EXAMPLES", "25"))
SEED = 20261129  # fixed: the same cases on every run, so a failure reproduces
# Erasing the account would end the learner's session half-way; erasure has its own tests.
EXCLUDED_AS_LEARNER = ("users_erase_me",)


def schemathesis(
    base: str,
    *extra: str,
    learner: Mapping[str, str] | None = None,
    examples: int = EXAMPLES_PER_OPERATION,
) -> subprocess.CompletedProcess[str]:
    """Run schemathesis over ``<base>/schema/openapi.json``, anonymously or as ``learner``
    (``email`` and ``password``: signed in at ``base``, again before the token expires);
    ``extra``: more of its options."""
    env = {**os.environ, "SCHEMATHESIS_HOOKS": ""}
    if learner is not None:
        extra = (
            *extra,
            *[arg for op in EXCLUDED_AS_LEARNER for arg in ("--exclude-operation-id", op)],
        )
        env |= {
            "SCHEMATHESIS_HOOKS": str(LEARNER_HOOKS),
            "CMH_FUZZ_LOGIN_URL": f"{base}/api/v1/auth/login",
            "CMH_FUZZ_LEARNER_EMAIL": learner["email"],
            "CMH_FUZZ_LEARNER_PASSWORD": learner["password"],
        }
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(CONFIG),
        "run",
        f"{base}/schema/openapi.json",
        "--max-examples",
        str(examples),
        "--phases",
        "examples,coverage,fuzzing",
        "--seed",
        str(SEED),
        "--workers",
        "1",
        "--no-color",
        *extra,
    ]
    return subprocess.run(  # noqa: S603 - our own tool, fixed arguments
        command,
        capture_output=True,
        text=True,
        timeout=max(1800, 20 * examples),  # the long form (200 examples) takes 25-30 min here
        check=False,
        cwd=tempfile.gettempdir(),  # its example cache stays out of the checkout
        env=env,
    )


def assert_conforms(run: subprocess.CompletedProcess[str]) -> None:
    report = run.stdout + run.stderr
    # The summary (operations, test cases, failures) is a figure of the run: printed.
    print("\n".join(report.splitlines()[-8:]))
    assert run.returncode == 0, report[-12000:]
    assert "No issues found" in report or " 0 failures" in report or "passed" in report, report
