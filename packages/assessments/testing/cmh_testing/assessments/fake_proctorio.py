"""A local fake of Proctorio's launch endpoint as its official example client documents
it (github.com/proctorio/API, "C# Example"): an ``application/x-www-form-urlencoded``
POST with ``launch_url, user_id, oauth_consumer_key, exam_start, exam_take, exam_end,
exam_settings, fullname, exam_tag, oauth_signature_method=HMAC-SHA1, oauth_version=1.0,
oauth_timestamp, oauth_nonce`` in that order, then ``oauth_signature``: base64 of the
HMAC-SHA1, keyed with the consumer secret, of ``POST&`` + the RFC 3986-escaped endpoint
URL + ``&`` + the RFC 3986-escaped normalized parameters (``key=value`` by ``&`` in their
order, each URL-decoded then escaped). The answer is the candidate's launch URL as text;
401 for an unknown key, a bad signature or a nonce seen before; 400 for missing or
misordered fields. ``fail_next`` answers that many launches with 503 first.

The signature is checked here without the adapter's signer, so the two cannot agree on
a mistake."""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

PATH = "/6521ca945bd84cfc85d2767da06aa7c8"
FIELDS = (
    "launch_url",
    "user_id",
    "oauth_consumer_key",
    "exam_start",
    "exam_take",
    "exam_end",
    "exam_settings",
    "fullname",
    "exam_tag",
    "oauth_signature_method",
    "oauth_version",
    "oauth_timestamp",
    "oauth_nonce",
    "oauth_signature",
)


def _rfc3986(value: str) -> str:
    # Unreserved characters stay; everything else, ! * ' ( ) included, is %XX of UTF-8.
    unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    return "".join(
        ch if ch in unreserved else "".join(f"%{b:02X}" for b in ch.encode()) for ch in value
    )


def expected_signature(secret: str, url: str, fields: list[tuple[str, str]]) -> str:
    normalized = "&".join(
        f"{_rfc3986(unquote_plus(k))}={_rfc3986(unquote_plus(v))}" for k, v in fields
    )
    base = f"POST&{_rfc3986(url)}&{_rfc3986(normalized)}"
    mac = hmac.new(secret.encode(), base.encode(), hashlib.sha1).digest()
    return base64.b64encode(mac).decode()


@dataclass
class FakeProctorio:
    consumer_key: str = "cmh-consumer"
    consumer_secret: str = "cmh-consumer-secret"  # noqa: S105 - the fake's own test secret
    fail_next: int = 0
    launches: list[dict[str, str]] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None
    _nonces: set[str] = field(default_factory=set)

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}{PATH}"

    def launch_url_for(self, fields: dict[str, str]) -> str:
        return f"https://getproctorio.test/launch#{fields['exam_tag']}.{fields['oauth_nonce']}"

    def check(self, fields: list[tuple[str, str]]) -> tuple[int, str]:
        """The status and body Proctorio answers to these form fields."""
        names = tuple(name for name, _ in fields)
        if names != FIELDS:
            return 400, f"expected the fields {', '.join(FIELDS)} in that order"
        given = dict(fields)
        if given["oauth_signature_method"] != "HMAC-SHA1" or given["oauth_version"] != "1.0":
            return 400, "HMAC-SHA1, OAuth 1.0"
        if not given["oauth_timestamp"].isdigit() or not given["oauth_nonce"]:
            return 400, "a timestamp in seconds and a nonce"
        if not given["launch_url"] or not given["user_id"] or not given["exam_tag"]:
            return 400, "launch_url, user_id and exam_tag"
        if given["oauth_consumer_key"] != self.consumer_key:
            return 401, "unknown consumer key"
        expected = expected_signature(self.consumer_secret, self.url, fields[:-1])
        if not hmac.compare_digest(expected, given["oauth_signature"]):
            return 401, "invalid signature"
        if given["oauth_nonce"] in self._nonces:
            return 401, "nonce already used"
        self._nonces.add(given["oauth_nonce"])
        self.launches.append(given)
        return 200, self.launch_url_for(given)

    def start(self) -> FakeProctorio:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return None

            def _answer(self, status: int, text: str) -> None:
                payload = text.encode()
                self.send_response(status)
                self.send_header("content-type", "text/plain; charset=utf-8")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                raw = self.rfile.read(length).decode("ascii")
                if self.path != PATH:
                    self._answer(404, "unknown endpoint")
                    return
                if fake.fail_next > 0:
                    fake.fail_next -= 1
                    self._answer(503, "unavailable")
                    return
                kind = self.headers.get("content-type", "").split(";")[0].strip()
                if kind != "application/x-www-form-urlencoded":
                    self._answer(400, "a form post")
                    return
                status, text = fake.check(parse_qsl(raw, keep_blank_values=True))
                if status != 200:
                    fake.refused.append((status, text))
                self._answer(status, text)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
