"""Proctorio through its documented launch call (its official example client,
github.com/proctorio/API, "C# Example"): a form POST to the account's regional endpoint
with the exam's pages, the candidate and the exam, signed OAuth 1.0 HMAC-SHA1
(``oauth1``); the answer is the launch URL the candidate opens.

Proctorio's results (suspicion scores, recordings) are reviewed in its Review Center,
which has no public API: every attempt it proctored is held for the instructor's review
(reason ``proctorio_review``), settled by ``POST /api/v1/assessments/attempts/{id}/review``.

Proctorio not answering, or answering anything but 200 with a URL (401 for a bad
signature or key), is ``DependencyUnavailable`` (503): no attempt is started."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from datetime import datetime

import httpx
import structlog

from cmh.assessments.adapters.proctoring import oauth1
from cmh.assessments.adapters.proctoring.settings import ProctorioSettings
from cmh.assessments.application.ports import ExamPages, ProctorVerdict
from cmh.kernel.errors import DependencyUnavailable

log = structlog.get_logger("cmh.assessments.proctorio")

REVIEW_REASON = "proctorio_review"


def _nonce() -> str:
    return secrets.token_hex(16)


class ProctorioProctoring:
    def __init__(
        self,
        http: httpx.AsyncClient,
        settings: ProctorioSettings,
        now: Callable[[], datetime],
        nonce: Callable[[], str] = _nonce,
    ) -> None:
        self._http = http
        self._settings = settings
        self._now = now
        self._nonce = nonce

    def launch_parameters(
        self, *, user_id: str, full_name: str, quiz_id: str, pages: ExamPages
    ) -> list[tuple[str, str]]:
        """The example's parameters, in its order, before the signature."""
        settings = self._settings
        return [
            ("launch_url", pages.launch_url),
            ("user_id", user_id),
            ("oauth_consumer_key", settings.consumer_key),
            ("exam_start", pages.start),
            ("exam_take", pages.take),
            ("exam_end", pages.end),
            ("exam_settings", settings.exam_settings),
            ("fullname", full_name),
            ("exam_tag", quiz_id),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_version", "1.0"),
            ("oauth_timestamp", str(int(self._now().timestamp()))),
            ("oauth_nonce", self._nonce()),
        ]

    async def launch(
        self, *, attempt_id: str, user_id: str, full_name: str, quiz_id: str, pages: ExamPages
    ) -> str | None:
        settings = self._settings
        params = self.launch_parameters(
            user_id=user_id, full_name=full_name, quiz_id=quiz_id, pages=pages
        )
        body = oauth1.form_body(oauth1.signed(settings.consumer_secret, settings.url, params))
        try:
            response = await self._http.post(
                settings.url,
                content=body.encode("ascii"),
                headers={"content-type": "application/x-www-form-urlencoded"},
                timeout=settings.timeout_seconds,
            )
        except httpx.HTTPError as exc:
            raise DependencyUnavailable(f"proctorio did not answer: {exc!r}"[:300]) from exc
        if response.status_code != 200:
            log.warning(
                "proctorio_launch_refused", status=response.status_code, attempt_id=attempt_id
            )
            raise DependencyUnavailable(f"proctorio answered {response.status_code} to a launch")
        url = _launch_url(response.text)
        if url is None:
            raise DependencyUnavailable("proctorio answered a launch without a launch URL")
        return url

    async def verdict(self, attempt_id: str, user_id: str, quiz_id: str) -> ProctorVerdict:
        return ProctorVerdict(flagged=True, reasons=(REVIEW_REASON,))


def _launch_url(text: str) -> str | None:
    """The example prints the answer as is: the launch URL, as text (read as a JSON
    string, or the first of a JSON list, when it comes quoted)."""
    answer: object = text.strip()
    if isinstance(answer, str) and answer[:1] in ('"', "["):
        try:
            answer = json.loads(answer)
        except ValueError:
            return None
        if isinstance(answer, list):
            answer = answer[0] if answer else None
    if isinstance(answer, str) and answer.startswith(("https://", "http://")):
        return answer
    return None
