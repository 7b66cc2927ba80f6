"""A bounded schemathesis run over the embedded platform's OpenAPI document, anonymously and
as the demo learner: every status an operation answers is documented, every error is
``application/problem+json``, nothing answers 5xx, and schema-valid requests are accepted
(exceptions, each a rule a schema cannot state, are listed in ``schemathesis.toml``).

``CMH_FUZZ_EXAMPLES`` sets the examples per operation: 25 in `make test`, 200 in the long
form (`make fuzz`)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cmh.gateway.domain.access import RouteClass
from tests.perf.servers import serve

CONFIG = Path(__file__).with_name("schemathesis.toml")
EXAMPLES_PER_OPERATION = int(os.environ.get("CMH_FUZZ_EXAMPLES", "25"))
SEED = 20261129  # fixed: the same cases on every run, so a failure reproduces
LEARNER = {"email": "learner@cloudmastershub.dev", "password": "learn-the-cloud-42"}
# Erasing the account would end the learner's session half-way; erasure has its own tests.
EXCLUDED_AS_LEARNER = ["users_erase_me"]


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("platform")
    # Generous rate limits: the run sends thousands of requests from one address, and the
    # limits have tests of their own; 429 stays documented on every operation.
    roomy = {
        f"CMH_GATEWAY__RATE_LIMITS__{bucket.value.upper()}__AMOUNT": "1000000"
        for bucket in RouteClass
    }
    env = {"CMH_DATA_DIR": str(data), "CMH_LOG_LEVEL": "WARNING", **roomy}
    with serve(
        "cmh.apps.platform.asgi:app",
        env=env,
        factory=True,
        ready_path="/health/ready",
        timeout=180.0,
    ) as server:
        yield server.url


def schemathesis(
    base: str, *extra: str, examples: int = EXAMPLES_PER_OPERATION
) -> subprocess.CompletedProcess[str]:
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
        timeout=900,
        check=False,
        cwd=tempfile.gettempdir(),  # its example cache stays out of the checkout
        env={**os.environ, "SCHEMATHESIS_HOOKS": ""},
    )


def assert_conforms(run: subprocess.CompletedProcess[str]) -> None:
    report = run.stdout + run.stderr
    # The summary (operations, test cases, failures) is a figure of the run: printed.
    print("\n".join(report.splitlines()[-8:]))
    assert run.returncode == 0, report[-12000:]
    assert "No issues found" in report or " 0 failures" in report or "passed" in report, report


def test_anonymous_callers_get_only_documented_answers(platform: str) -> None:
    assert_conforms(schemathesis(platform))


def test_a_learner_gets_only_documented_answers(platform: str) -> None:
    login = httpx.post(f"{platform}/api/v1/auth/login", json=LEARNER, timeout=30)
    assert login.status_code == 200, login.text
    token = login.json()["access_token"]
    excluded = [arg for op in EXCLUDED_AS_LEARNER for arg in ("--exclude-operation-id", op)]
    assert_conforms(schemathesis(platform, "-H", f"Authorization: Bearer {token}", *excluded))
