"""Platform services (payments, courses, labs...) authenticate with a client id and a
secret (OAuth 2.0 client credentials) to get a token carrying the ``service`` role. Only
SHA-256 digests of the secrets are configured here: the secrets are long random strings,
so a fast digest is enough, and a leaked configuration grants nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from cmh.kernel.auth.constant_time import constant_time_equals
from cmh.users.domain.tokens import digest


@dataclass(frozen=True, slots=True)
class ServiceClients:
    secret_digests: Mapping[str, str] = field(default_factory=dict)

    def authenticate(self, client_id: str, secret: str) -> bool:
        expected = self.secret_digests.get(client_id)
        # Compare even for an unknown client, so timing does not tell which ids exist.
        return constant_time_equals(expected or "0" * 64, digest(secret)) and expected is not None
