"""Labs' ``POST /internal/v1/labs/sessions/{id}/hours-refund`` with payments' service
token, decoded as the ``contracts`` body labs encodes; transport errors, 5xx and a
refused token are retried (stamina), what still fails is ``DependencyUnavailable`` (the
saga tries the step again later)."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote

import httpx
import msgspec
import stamina

from cmh.contracts.http.labs import LabHoursRefundRequest, LabHoursRefundResponse
from cmh.kernel.errors import DependencyUnavailable
from cmh.payments.adapters.service_tokens import AccessTokens, TokenRefused
from cmh.payments.application.ports import HoursBack


class Retry(Exception):
    """A 5xx or 401 answer: worth another try."""


class HttpLabHours:
    def __init__(
        self, http: httpx.AsyncClient, tokens: AccessTokens, labs_url: str, attempts: int = 3
    ) -> None:
        self._http = http
        self._tokens = tokens
        self._base = labs_url.rstrip("/")
        self._attempts = attempts

    async def refund_session(self, session_id: str, reason: str) -> HoursBack:
        url = f"{self._base}/internal/v1/labs/sessions/{quote(session_id, safe='')}/hours-refund"
        body = msgspec.json.encode(LabHoursRefundRequest(reason=reason[:200]))
        try:
            async for attempt in stamina.retry_context(
                on=(httpx.TransportError, Retry, TokenRefused),
                attempts=self._attempts,
                wait_initial=0.1,
                wait_max=2.0,
            ):
                with attempt:
                    answer = await self._http.post(
                        url,
                        content=body,
                        headers={
                            "Authorization": f"Bearer {await self._tokens.access_token()}",
                            "Content-Type": "application/json",
                        },
                    )
                    if answer.status_code == 401:
                        self._tokens.forget()
                        raise Retry("labs refused the service token")
                    if answer.status_code >= 500:
                        raise Retry(f"labs answered {answer.status_code}")
        except (httpx.HTTPError, Retry, TokenRefused) as exc:
            raise DependencyUnavailable(f"labs did not refund the hours: {exc!r}"[:300]) from exc
        if answer.status_code != 200:
            raise DependencyUnavailable(f"labs answered {answer.status_code} to an hours refund")
        refunded = msgspec.json.decode(answer.content, type=LabHoursRefundResponse)
        return HoursBack(
            hours=Decimal(refunded.hours_refunded),
            pack_hours=Decimal(refunded.pack_hours_refunded),
        )
