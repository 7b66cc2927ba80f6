"""A local fake of SendGrid's v3 mail-send API, as documented
(https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send): ``POST
/v3/mail/send`` with ``Authorization: Bearer <key>`` and a JSON body whose
``personalizations`` (1 to 1000, each with 1 or more ``to``), ``from.email``, a
``subject`` and ``content`` (``text/plain`` before ``text/html``) are checked. It answers
202 with an ``X-Message-Id``, 400 with SendGrid's ``errors`` list, 401 for another key, and
whatever statuses a test scripts next (429 with ``X-RateLimit-*`` headers, 5xx)."""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

API_KEY = "SG.fake-key-for-tests"


@dataclass
class FakeSendGrid:
    key: str = API_KEY
    accepted: list[dict[str, Any]] = field(default_factory=list)
    requests: int = 0
    scripted: list[int] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def fail_next(self, *statuses: int) -> None:
        """The next requests answer these statuses, in order (then 202 again)."""
        self.scripted.extend(statuses)

    def __enter__(self) -> FakeSendGrid:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                fake.requests += 1
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                if self.path != "/v3/mail/send":
                    return self._answer(404, {"errors": [{"message": "not found"}]})
                if self.headers.get("Authorization") != f"Bearer {fake.key}":
                    return self._answer(
                        401,
                        {"errors": [{"message": "The provided authorization grant is invalid"}]},
                    )
                if fake.scripted:
                    status = fake.scripted.pop(0)
                    headers = (
                        {
                            "X-RateLimit-Limit": "600",
                            "X-RateLimit-Remaining": "0",
                            "X-RateLimit-Reset": "0",
                        }
                        if status == 429
                        else {}
                    )
                    return self._answer(status, {"errors": [{"message": "scripted"}]}, headers)
                try:
                    body = json.loads(raw)
                except ValueError:
                    return self._answer(
                        400, {"errors": [{"message": "Bad Request", "field": None}]}
                    )
                problems = shape_problems(body)
                if problems:
                    return self._answer(400, {"errors": problems})
                fake.accepted.append(body)
                return self._answer(202, None, {"X-Message-Id": uuid.uuid4().hex[:22]})

            def _answer(
                self, status: int, body: Any, headers: dict[str, str] | None = None
            ) -> None:
                payload = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                if payload:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()


def _error(message: str, field: str) -> dict[str, Any]:
    return {"message": message, "field": field, "help": None}


def shape_problems(body: Any) -> list[dict[str, Any]]:
    """What SendGrid's documented request schema refuses (the parts this platform uses)."""
    problems = []
    if not isinstance(body, dict):
        return [_error("The request body must be a JSON object.", "")]
    personalizations = body.get("personalizations")
    if not isinstance(personalizations, list) or not 1 <= len(personalizations) <= 1000:
        problems.append(
            _error(
                "The personalizations field is required and must have at least one "
                "personalization.",
                "personalizations",
            )
        )
    else:
        for index, personalization in enumerate(personalizations):
            to = personalization.get("to") if isinstance(personalization, dict) else None
            if (
                not isinstance(to, list)
                or not to
                or not all(isinstance(t, dict) and "@" in str(t.get("email", "")) for t in to)
            ):
                problems.append(
                    _error(
                        "The to array is required for all personalization objects, and "
                        "must have at least one email object with a valid email address.",
                        f"personalizations.{index}.to",
                    )
                )
    sender = body.get("from")
    if not isinstance(sender, dict) or "@" not in str(sender.get("email", "")):
        problems.append(_error("The from object must be provided for every email send.", "from"))
    has_subject = bool(body.get("subject")) or all(
        isinstance(p, dict) and p.get("subject") for p in personalizations or []
    )
    if not has_subject:
        problems.append(_error("The subject is required.", "subject"))
    content = body.get("content")
    if not isinstance(content, list) or not content:
        problems.append(
            _error(
                "Unless a valid template_id is provided, the content parameter is required.",
                "content",
            )
        )
    else:
        types = [c.get("type") for c in content if isinstance(c, dict)]
        if "text/plain" in types and types[0] != "text/plain":
            problems.append(_error("If present, text/plain content must be first.", "content"))
        if any(not isinstance(c, dict) or not c.get("value") for c in content):
            problems.append(
                _error(
                    "The content value must be a string at least one character in length.",
                    "content.0.value",
                )
            )
    return problems
