"""schemathesis hooks (``SCHEMATHESIS_HOOKS``) of a run as a learner: every request carries
the learner's access token, signed in again before it expires (access tokens live 15
minutes; a run through the gateway lasts longer). A 401 is never retried with a new token:
it is an answer the run checks."""

from __future__ import annotations

import os
from typing import Any

import httpx
import schemathesis

# Well inside the users service's access-token lifetime (900 s).
REFRESH_SECONDS = 600


@schemathesis.auth(refresh_interval=REFRESH_SECONDS, retry_on=[])
class LearnerToken:
    def get(self, case: Any, ctx: Any) -> str:
        login = httpx.post(
            os.environ["CMH_FUZZ_LOGIN_URL"],
            json={
                "email": os.environ["CMH_FUZZ_LEARNER_EMAIL"],
                "password": os.environ["CMH_FUZZ_LEARNER_PASSWORD"],
            },
            timeout=30,
        )
        login.raise_for_status()
        token: str = login.json()["access_token"]
        return token

    def set(self, case: Any, data: str, ctx: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}
