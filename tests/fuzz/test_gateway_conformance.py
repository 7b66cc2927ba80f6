"""The bounded schemathesis run of ``conformance`` through the gateway of the distributed
profile (`make up-distributed`): every service's OpenAPI document as the gateway aggregates
it at ``/schema/openapi.json``, anonymously and as a learner registered for the run.

The profile's gateway on :8080 counts requests per client address in Redis, and a fuzzer
sends thousands from one: the run goes through a second gateway of the profile, the running
one's own environment (read from ``/proc/<pid>/environ`` of the pid in the profile's
``run/gateway.pid``, the process ``up.sh`` marked ``CMH_DISTRIBUTED_PROCESS=gateway``: the same
upstreams, JWKS, principal secret and TLS trust) except for a free port, its own metrics
port, an in-memory rate-limit store and roomy limits. The upstreams are the profile's own
services, shared with the other distributed tests: the run creates only what a fresh learner
may create."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cmh.gateway.domain.access import RouteClass
from cmh_testing.kernel.servers import server_url
from tests.fuzz.conformance import assert_conforms, schemathesis
from tests.perf.servers import free_port

pytestmark = [pytest.mark.integration, pytest.mark.distributed]

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 120.0
# Examples per operation: the embedded run already takes 25 of each in `make test`; through
# the gateway the same operations cost a hop and a second process, so 10 there (200 in
# `make fuzz`, which sets CMH_FUZZ_EXAMPLES).
EXAMPLES = int(os.environ.get("CMH_FUZZ_EXAMPLES", "10"))
# What the PEX launcher adds to its own environment when it re-executes: not settings.
_LAUNCHER_VARIABLES = ("PEX", "__PEX", "_PEX")


def running_gateway_environment(state: Path) -> dict[str, str]:
    """The environment ``infra/distributed/up.sh`` started the profile's gateway with
    (``gateway_env()`` and what every app gets), read from the running process: its pid
    file, checked by the marker up.sh sets (as ``pid_of`` in infra/distributed/lib.sh)."""
    pid_file = state / "run" / "gateway.pid"
    try:
        pid = pid_file.read_text().strip()
        raw = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        raw = b""
    environ = dict(entry.split("=", 1) for entry in raw.decode().split("\0") if "=" in entry)
    if environ.get("CMH_DISTRIBUTED_PROCESS") != "gateway":
        message = f"no gateway of the distributed profile runs ({pid_file}): make up-distributed"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {
        name: value
        for name, value in environ.items()
        if not name.startswith(_LAUNCHER_VARIABLES) and name != "CMH_DISTRIBUTED_PROCESS"
    }


def fuzzing_gateway_environment(running: dict[str, str]) -> dict[str, str]:
    """The running gateway's settings, but its own listeners and rate limits of its own:
    the fuzzer is one client address, and the limits have tests of their own (429 stays
    documented on every operation)."""
    roomy = {
        f"CMH_GATEWAY__RATE_LIMITS__{bucket.value.upper()}__AMOUNT": "1000000"
        for bucket in RouteClass
    }
    return {
        **running,
        "CMH_HTTP__PORT": str(free_port()),
        "CMH_METRICS_PORT": str(free_port()),
        "CMH_RATE_LIMIT_STORE": "memory",
        "CMH_LOG_LEVEL": "WARNING",
        **roomy,
        # This checkout's sources, whichever way (PEX or .venv) the profile runs its gateway.
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
    }


@contextlib.contextmanager
def second_gateway(env: dict[str, str], log: Path) -> Iterator[str]:
    base = f"http://127.0.0.1:{env['CMH_HTTP__PORT']}"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "cmh.apps.gateway.main"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"the gateway exited with {process.returncode}:\n{log.read_text()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(base + "/health/ready", timeout=2.0).status_code == 200:
                    break
            if time.monotonic() > deadline:
                pytest.fail(f"the gateway was not ready on {base}:\n{log.read_text()[-4000:]}")
            time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    state = Path(server_url("CMH_TEST_DISTRIBUTED_STATE"))
    env = fuzzing_gateway_environment(running_gateway_environment(state))
    with second_gateway(env, tmp_path_factory.mktemp("gateway") / "gateway.log") as base:
        yield base


def fresh_learner(gateway: str) -> dict[str, str]:
    """A learner of its own: the demo learner is other distributed tests' at the same time."""
    account = {
        "email": f"fuzz-{uuid.uuid4().hex[:12]}@example.org",
        "password": "fuzzing the gateway 42",
    }
    registered = httpx.post(
        f"{gateway}/api/v1/auth/register",
        json={**account, "display_name": "Fuzz"},
        timeout=30,
    )
    assert registered.status_code == 201, registered.text
    return account


def test_anonymous_callers_get_only_documented_answers_through_the_gateway(
    gateway: str,
) -> None:
    assert_conforms(schemathesis(gateway, examples=EXAMPLES))


def test_a_learner_gets_only_documented_answers_through_the_gateway(gateway: str) -> None:
    learner = fresh_learner(gateway)
    login = httpx.post(f"{gateway}/api/v1/auth/login", json=learner, timeout=30)
    assert login.status_code == 200, login.text
    assert_conforms(schemathesis(gateway, learner=learner, examples=EXAMPLES))
