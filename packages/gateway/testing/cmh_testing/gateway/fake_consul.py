"""A local fake of Consul's documented HTTP API for the gateway's discovery tests (the
Consul server is not open-source and not served here).

``GET /v1/health/service/<name>`` answers the service's entries (``Node``, ``Service``,
``Checks``), only those whose checks all pass with ``?passing=1``, and ``X-Consul-Index``;
with ``?index=N`` it is a blocking query: it answers once the index moves past ``N`` or
after ``wait`` (``10s``, ``500ms``, ``1m``; at most 10 minutes as Consul caps it).
``GET /v1/catalog/service/<name>`` answers the catalog's entries, health aside. A token,
when set, must come as ``X-Consul-Token`` (403 otherwise).
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

_WAIT = re.compile(r"^(\d+)(ms|s|m)?$")


def _wait_seconds(value: str) -> float:
    match = _WAIT.match(value or "")
    if not match:
        return 300.0
    amount, unit = int(match.group(1)), match.group(2) or "s"
    return min(amount * {"ms": 0.001, "s": 1.0, "m": 60.0}[unit], 600.0)


@dataclass
class Registration:
    name: str
    id: str
    address: str
    port: int
    weight: int = 1
    passing: bool = True


@dataclass
class FakeConsul:
    token: str = ""
    index: int = 1
    services: dict[str, Registration] = field(default_factory=dict)
    queries: int = 0
    server: ThreadingHTTPServer | None = None
    _changed: threading.Condition = field(default_factory=threading.Condition)

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def _bump(self) -> None:
        with self._changed:
            self.index += 1
            self._changed.notify_all()

    def register(
        self, name: str, id: str, address: str, port: int, *, weight: int = 1, passing: bool = True
    ) -> None:
        self.services[id] = Registration(name, id, address, port, weight, passing)
        self._bump()

    def set_passing(self, id: str, passing: bool) -> None:
        self.services[id].passing = passing
        self._bump()

    def deregister(self, id: str) -> None:
        del self.services[id]
        self._bump()

    def _entry(self, reg: Registration) -> dict[str, Any]:
        status = "passing" if reg.passing else "critical"
        return {
            "Node": {"Node": "node-1", "Address": "127.0.0.1", "Datacenter": "dc1"},
            "Service": {
                "ID": reg.id,
                "Service": reg.name,
                "Address": reg.address,
                "Port": reg.port,
                "Weights": {"Passing": reg.weight, "Warning": 1},
                "Tags": [],
                "Meta": {},
            },
            "Checks": [
                {"CheckID": "serfHealth", "Status": "passing", "ServiceID": ""},
                {"CheckID": f"service:{reg.id}", "Status": status, "ServiceID": reg.id},
            ],
        }

    def answer(self, path: str, query: dict[str, list[str]], token: str) -> tuple[int, Any, int]:
        if self.token and token != self.token:
            return 403, "ACL not found", self.index
        if "index" in query:
            wanted = int(query["index"][0])
            with self._changed:
                self._changed.wait_for(
                    lambda: self.index > wanted, timeout=_wait_seconds(query.get("wait", [""])[0])
                )
        self.queries += 1
        for prefix, health in (("/v1/health/service/", True), ("/v1/catalog/service/", False)):
            if path.startswith(prefix):
                name = path[len(prefix) :]
                regs = [reg for reg in self.services.values() if reg.name == name]
                if health:
                    if "passing" in query:
                        regs = [reg for reg in regs if reg.passing]
                    return 200, [self._entry(reg) for reg in regs], self.index
                return 200, [self._catalog(reg) for reg in regs], self.index
        return 404, "not found", self.index

    def _catalog(self, reg: Registration) -> dict[str, Any]:
        return {
            "Node": "node-1",
            "Address": "127.0.0.1",
            "ServiceID": reg.id,
            "ServiceName": reg.name,
            "ServiceAddress": reg.address,
            "ServicePort": reg.port,
        }

    def start(self) -> FakeConsul:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                status, payload, index = fake.answer(
                    parts.path,
                    parse_qs(parts.query, keep_blank_values=True),
                    self.headers.get("X-Consul-Token", ""),
                )
                data = (json.dumps(payload) if status == 200 else str(payload)).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("X-Consul-Index", str(index))
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            with self._changed:  # release blocked queries
                self.index += 1
                self._changed.notify_all()
            self.server.shutdown()
            self.server.server_close()
