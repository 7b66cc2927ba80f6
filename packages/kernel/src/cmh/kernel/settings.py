"""Settings from the environment, typed by msgspec.

``CMH_DATABASE__URL=...`` fills ``settings.database.url``: a double underscore descends
into a nested struct; a value starting with ``{`` or ``[`` is JSON (maps and lists).
Other values are strings; msgspec converts them (``strict=False``) and names the
offending variable when one is wrong.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from typing import Any, TypeVar

import msgspec

T = TypeVar("T")


class SettingsError(RuntimeError):
    """A variable is missing or wrong; the message names it and says what is expected."""


def _nest(environ: Mapping[str, str], prefix: str) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for key, value in environ.items():
        if not key.startswith(prefix):
            continue
        path = key[len(prefix) :].lower().split("__")
        node = tree
        for part in path[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                break
            node = child
        else:
            node[path[-1]] = _json_or_text(key, value)
    return tree


def _json_or_text(variable: str, value: str) -> Any:
    # Maps and lists come as JSON: CMH_GATEWAY__UPSTREAMS='{"users": [...]}'.
    if not value.startswith(("{", "[")):
        return value
    try:
        return msgspec.json.decode(value)
    except msgspec.DecodeError as exc:
        raise SettingsError(f"invalid settings: {variable} is not valid JSON ({exc})") from exc


def load_settings(
    cls: type[T], environ: Mapping[str, str] | None = None, prefix: str = "CMH_"
) -> T:
    env = os.environ if environ is None else environ
    try:
        return msgspec.convert(_nest(env, prefix), cls, strict=False)
    except msgspec.ValidationError as exc:
        # "Expected `int`, got `str` - at `$.database.pool_size`" -> name the variable.
        message = str(exc)
        if "at `$." in message:
            path = message.rsplit("at `$.", 1)[1].rstrip("`")
            var = prefix + "__".join(path.split(".")).upper()
            message = f"{message} (environment variable {var})"
        raise SettingsError(f"invalid settings: {message}") from exc


class DatabaseSettings(msgspec.Struct, frozen=True):
    url: str = "sqlite+aiosqlite:///./.data/cmh.db"
    # A streaming replica of ``url`` (PostgreSQL): read-only requests read there, with
    # read-your-writes per caller (``cmh.kernel.sql.read_replica``). Empty: none.
    read_url: str = ""
    pool_size: int = 10
    echo: bool = False
    # PostgreSQL over TLS, verified as libpq's sslmode=verify-full (the chain up to this CA,
    # and the host name): the CA's PEM file. Empty: the URL decides (plain by default).
    ssl_ca_file: str = ""


class KafkaSettings(msgspec.Struct, frozen=True):
    bootstrap_servers: str = "127.0.0.1:9092"
    client_id: str = "cmh"
    # Static group membership: a worker restarted under the same id takes its partitions
    # back at once, without waiting for its dead self's session to expire. Unique per
    # process and stable across its restarts (a pod name); empty: dynamic membership.
    group_instance_id: str = ""
    # A consumer silent this long leaves its group (the broker's minimum is 6 s).
    session_timeout_ms: int = 6_000
    heartbeat_interval_ms: int = 2_000


class RedisSettings(msgspec.Struct, frozen=True):
    url: str = "redis://127.0.0.1:6379/0"


_ORIGIN = re.compile(r"https?://([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\])(:[0-9]{1,5})?")


class HttpSettings(msgspec.Struct, frozen=True):
    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = 1_048_576
    debug: bool = False
    # Proxies whose X-Forwarded-For/-Proto are believed (comma-separated IPs or networks):
    # none by default, as at the edge; the gateway's address for the services behind it.
    forwarded_allow_ips: str = ""
    # Browser origins that may call the API (CORS), comma-separated, e.g.
    # "https://app.cloudmastershub.dev,http://localhost:5173"; none by default.
    cors_origins: str = ""
    # On SIGTERM, answer readiness 503 for this long while still serving, so whoever
    # balances over this instance (the gateway's poll, a Kubernetes Service) stops sending
    # it new requests before it stops listening: longer than their poll interval behind a
    # balancer, 0 (stop at once) at the edge.
    drain_seconds: float = 0.0
    # HTTPS: the server's certificate chain and key (PEM files); empty = plain HTTP (the
    # embedded platform; behind a TLS-terminating load balancer).
    tls_cert_file: str = ""
    tls_key_file: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.drain_seconds <= 300:
            raise ValueError("CMH_HTTP__DRAIN_SECONDS must be between 0 and 300")
        if bool(self.tls_cert_file) != bool(self.tls_key_file):
            raise ValueError("CMH_HTTP__TLS_CERT_FILE and CMH_HTTP__TLS_KEY_FILE go together")
        for entry in self.trusted_proxies:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(
                    f"CMH_HTTP__FORWARDED_ALLOW_IPS: {entry!r} is not an IP address or network"
                ) from None
        for origin in self.allowed_origins:
            if not _ORIGIN.fullmatch(origin):
                raise ValueError(
                    f"CMH_HTTP__CORS_ORIGINS: {origin!r} is not an origin (scheme://host[:port])"
                )

    @property
    def allowed_origins(self) -> list[str]:
        return [entry.strip() for entry in self.cors_origins.split(",") if entry.strip()]

    @property
    def trusted_proxies(self) -> list[str]:
        return [entry.strip() for entry in self.forwarded_allow_ips.split(",") if entry.strip()]
