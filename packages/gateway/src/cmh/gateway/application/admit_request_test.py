from datetime import UTC, datetime

from cmh.gateway.application.admit_request import AdmitRequest, RequestFacts
from cmh.gateway.settings import GatewaySettings
from cmh.kernel.auth.authenticator import LocalAuthenticator
from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.tokens import SigningKey, TokenIssuer, TokenSettings, TokenVerifier
from cmh.kernel.clock import FrozenClock
from cmh.kernel.errors import NotFound, Unauthenticated
from cmh.kernel.ratelimit import LimitsRateLimiter

KEY = SigningKey.generate()
CLOCK = FrozenClock(datetime.now(UTC))


def _admit() -> AdmitRequest:
    authenticator = LocalAuthenticator(TokenVerifier(KEY.jwks(), TokenSettings()), CLOCK)
    return AdmitRequest(
        authenticator, LimitsRateLimiter.in_memory(), GatewaySettings().route_limits()
    )


def _bearer() -> str:
    issuer = TokenIssuer(KEY, TokenSettings())
    token = issuer.issue_access(Principal("u-1", frozenset()), now=CLOCK.now(), token_id="t")
    return f"Bearer {token}"


async def test_a_valid_token_yields_the_principal_and_a_quota() -> None:
    admission = await _admit().execute(
        RequestFacts("GET", "/api/v1/users/me", "1.2.3.4", _bearer())
    )
    assert admission.refusal is None
    assert admission.principal is not None
    assert admission.principal.user_id == "u-1"
    assert admission.quota is not None
    assert admission.quota.limit == 600


async def test_refusals_name_their_reason() -> None:
    admit = _admit()
    internal = await admit.execute(RequestFacts("GET", "/internal/x", "1.2.3.4", _bearer()))
    garbage = await admit.execute(RequestFacts("GET", "/api/v1/users/me", "1.2.3.4", "Bearer x.y"))
    assert isinstance(internal.refusal, NotFound)
    assert isinstance(garbage.refusal, Unauthenticated)
    assert garbage.refusal.code == "token_invalid"


async def test_a_bad_token_on_a_public_route_passes_anonymously() -> None:
    admission = await _admit().execute(
        RequestFacts("GET", "/api/v1/courses", "1.2.3.4", "Bearer x")
    )
    assert admission.refusal is None
    assert admission.principal is None
