"""A local fake of Vault's documented HTTP API, for the secrets adapters' tests (Vault's
server is not open-source any more, and OpenBao's release was not served here).

What it answers, as Vault documents it:
- token auth: ``X-Vault-Token`` must be a known token, else 403 ``permission denied``;
- KV v2 at ``/v1/<kv_mount>/data/<path>``: GET (the newest version, ``data.data`` and
  ``data.metadata``; 404 for none), POST/PUT ``{"data": {...}}`` (a new version);
- the database secrets engine: GET ``/v1/<db_mount>/creds/<role>`` issues credentials
  under a lease of the role's ``ttl`` (400 ``unknown role``); ``PUT /v1/sys/leases/renew``
  ``{"lease_id", "increment"}`` extends it, never past the role's ``max_ttl`` from issue
  (400 for a lease unknown or expired).

A role's credentials come from its ``issue`` callable, which may create them in a real
PostgreSQL as Vault's creation statements would. ``advance`` moves the fake's clock.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def random_credentials(role: str) -> tuple[str, str]:
    return f"v-token-{role}-{secrets.token_hex(4)}", secrets.token_urlsafe(18)


@dataclass
class DatabaseRole:
    ttl: int = 3600
    max_ttl: int = 86400
    issue: Callable[[str], tuple[str, str]] = random_credentials


@dataclass
class Lease:
    role: DatabaseRole
    username: str
    issued_at: float
    expires_at: float


@dataclass
class FakeVault:
    tokens: set[str] = field(default_factory=lambda: {"root-token"})
    kv_mount: str = "secret"
    database_mount: str = "database"
    roles: dict[str, DatabaseRole] = field(default_factory=dict)
    kv: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    leases: dict[str, Lease] = field(default_factory=dict)
    renewals: int = 0
    offset: float = 0.0
    server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def now(self) -> float:
        return time.monotonic() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds

    def put_secret(self, path: str, data: dict[str, Any]) -> int:
        with self._lock:
            versions = self.kv.setdefault(path, [])
            versions.append(dict(data))
            return len(versions)

    # --- the API ---------------------------------------------------------------------
    def answer(self, method: str, path: str, token: str, body: dict[str, Any]) -> tuple[int, Any]:
        if token not in self.tokens:
            return 403, {"errors": ["permission denied"]}
        kv_prefix = f"/v1/{self.kv_mount}/data/"
        creds_prefix = f"/v1/{self.database_mount}/creds/"
        if path.startswith(kv_prefix):
            return self._kv(method, path[len(kv_prefix) :], body)
        if path.startswith(creds_prefix) and method == "GET":
            return self._creds(path[len(creds_prefix) :])
        if path == "/v1/sys/leases/renew" and method in {"PUT", "POST"}:
            return self._renew(body)
        return 404, {"errors": []}

    def _kv(self, method: str, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        if method in {"POST", "PUT"}:
            version = self.put_secret(path, body.get("data") or {})
            return 200, {"data": {"version": version, "destroyed": False, "deletion_time": ""}}
        versions = self.kv.get(path)
        if method != "GET" or not versions:
            return 404, {"errors": []}
        metadata = {"version": len(versions), "destroyed": False, "deletion_time": ""}
        return 200, {"data": {"data": versions[-1], "metadata": metadata}}

    def _creds(self, role_name: str) -> tuple[int, Any]:
        role = self.roles.get(role_name)
        if role is None:
            return 400, {"errors": [f"unknown role: {role_name}"]}
        username, password = role.issue(role_name)
        lease_id = f"{self.database_mount}/creds/{role_name}/{secrets.token_hex(12)}"
        now = self.now()
        with self._lock:
            self.leases[lease_id] = Lease(role, username, now, now + role.ttl)
        return 200, {
            "request_id": secrets.token_hex(8),
            "lease_id": lease_id,
            "lease_duration": role.ttl,
            "renewable": True,
            "data": {"username": username, "password": password},
        }

    def _renew(self, body: dict[str, Any]) -> tuple[int, Any]:
        lease = self.leases.get(str(body.get("lease_id", "")))
        now = self.now()
        if lease is None or lease.expires_at <= now:
            return 400, {"errors": ["lease not found or lease is not renewable"]}
        increment = int(body.get("increment") or lease.role.ttl)
        granted = int(min(increment, lease.issued_at + lease.role.max_ttl - now))
        lease.expires_at = now + granted
        self.renewals += 1
        return 200, {
            "lease_id": body["lease_id"],
            "renewable": granted > 0,
            "lease_duration": granted,
        }

    # --- serving ---------------------------------------------------------------------
    def start(self) -> FakeVault:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else {}
                status, payload = fake.answer(
                    self.command,
                    self.path.split("?", 1)[0],
                    self.headers.get("X-Vault-Token", ""),
                    body,
                )
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
