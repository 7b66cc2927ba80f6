"""A bounded schemathesis run over the embedded platform's OpenAPI document, anonymously and
as the demo learner: every status an operation answers is documented, every error is
``application/problem+json``, nothing answers 5xx, and schema-valid requests are accepted
(exceptions, each a rule a schema cannot state, are listed in ``schemathesis.toml``).
The run itself (seed, examples per operation: ``CMH_FUZZ_EXAMPLES``) is ``conformance``'s;
test_gateway_conformance.py runs it through the distributed gateway."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from cmh.gateway.domain.access import RouteClass
from tests.fuzz.conformance import assert_conforms, schemathesis
from tests.perf.servers import serve

LEARNER = {"email": "learner@cloudmastershub.dev", "password": "learn-the-cloud-42"}


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


def test_anonymous_callers_get_only_documented_answers(platform: str) -> None:
    assert_conforms(schemathesis(platform))


def test_a_learner_gets_only_documented_answers(platform: str) -> None:
    login = httpx.post(f"{platform}/api/v1/auth/login", json=LEARNER, timeout=30)
    assert login.status_code == 200, login.text
    assert_conforms(schemathesis(platform, learner=LEARNER))
