"""A local fake of Mixpanel's documented ingestion API (``POST /track``): the form field
``data`` holds a JSON array of at most 50 events, each ``{"event", "properties": {"token",
"distinct_id", "time", "$insert_id", ...}}``; with ``verbose=1`` the answer is
``{"status": 1, "error": null}``, or ``{"status": 0, "error": "..."}`` for a bad request.
``fail_next`` answers that many requests with 503 first (to exercise retries)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

MAX_BATCH = 50


@dataclass
class FakeMixpanel:
    batches: list[list[dict[str, Any]]] = field(default_factory=list)
    fail_next: int = 0
    server: ThreadingHTTPServer | None = None

    @property
    def events(self) -> list[dict[str, Any]]:
        return [event for batch in self.batches for event in batch]

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/track"

    def start(self) -> FakeMixpanel:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return None

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                form = parse_qs(self.rfile.read(length).decode())
                if self.path.split("?")[0] != "/track":
                    self._answer(404, {"status": 0, "error": "unknown endpoint"})
                    return
                if fake.fail_next > 0:
                    fake.fail_next -= 1
                    self._answer(503, {"status": 0, "error": "unavailable"})
                    return
                try:
                    events = json.loads(form["data"][0])
                except (KeyError, ValueError):
                    self._answer(400, {"status": 0, "error": "data is not JSON"})
                    return
                if not isinstance(events, list) or len(events) > MAX_BATCH:
                    self._answer(400, {"status": 0, "error": "at most 50 events per batch"})
                    return
                for event in events:
                    props = event.get("properties", {})
                    if not props.get("token") or "distinct_id" not in props:
                        self._answer(400, {"status": 0, "error": "token and distinct_id required"})
                        return
                fake.batches.append(events)
                self._answer(200, {"status": 1, "error": None})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
