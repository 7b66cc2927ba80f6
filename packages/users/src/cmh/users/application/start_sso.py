"""Start a single sign-on attempt: the client names its registered redirect URI and sends
the S256 challenge of a PKCE verifier it keeps; it gets the identity provider's sign-in
URL and the ``state`` that must come back with the code."""

from __future__ import annotations

from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.errors import InvalidInput
from cmh.kernel.uow import UnitOfWork
from cmh.users.application.ports import IdentityProvider, SecretGenerator, SsoAttemptStore
from cmh.users.application.sso_policy import SsoPolicy
from cmh.users.application.views import SsoStart
from cmh.users.domain.sso_attempt import SsoAttempt
from cmh.users.domain.tokens import digest


class StartSso:
    def __init__(
        self,
        uow: UnitOfWork,
        attempts: SsoAttemptStore,
        identity_provider: IdentityProvider,
        secrets: SecretGenerator,
        policy: SsoPolicy,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._uow = uow
        self._attempts = attempts
        self._identity_provider = identity_provider
        self._secrets = secrets
        self._policy = policy
        self._clock = clock
        self._ids = ids

    async def execute(self, *, redirect_uri: str, code_challenge: str) -> SsoStart:
        if redirect_uri not in self._policy.redirect_uris:  # exactly, never a prefix
            raise InvalidInput(
                "this redirect_uri is not registered for single sign-on",
                code="redirect_uri_not_registered",
                field="redirect_uri",
            )
        state = self._secrets.new_secret()
        url = self._identity_provider.authorization_url(
            redirect_uri=redirect_uri, state=state, code_challenge=code_challenge
        )
        now = self._clock.now()
        ttl = self._policy.attempt_ttl
        async with self._uow:
            await self._attempts.discard_expired(now)
            await self._attempts.add(
                SsoAttempt.start(
                    attempt_id=self._ids.new_id(),
                    state_hash=digest(state),
                    redirect_uri=redirect_uri,
                    code_challenge=code_challenge,
                    now=now,
                    ttl=ttl,
                )
            )
            await self._uow.commit()
        return SsoStart(authorization_url=url, state=state, expires_in=int(ttl.total_seconds()))
