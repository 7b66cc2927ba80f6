"""Vault through ``hvac``: KV v2 reads, and PostgreSQL credentials from the database secrets
engine (``GET /v1/<mount>/creds/<role>``), their lease renewed (``PUT
/v1/sys/leases/renew``) and the credentials read anew before the lease's max TTL ends.

hvac is synchronous (requests): every call runs in a worker thread, off the event loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import hvac
from hvac import exceptions as vault_errors

from cmh.kernel.secrets.ports import DatabaseCredentials, SecretAccessDenied, SecretNotFound

_log = logging.getLogger(__name__)
T = TypeVar("T")


async def _call(function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    try:
        return await asyncio.to_thread(function, *args, **kwargs)
    except vault_errors.Forbidden as exc:
        raise SecretAccessDenied(f"Vault refused the token: {exc}") from exc
    except vault_errors.InvalidPath as exc:
        raise SecretNotFound(str(exc)) from exc


class VaultSecrets:
    """``group/key`` is the field ``key`` of the KV v2 secret ``<prefix>/<group>``."""

    def __init__(self, client: hvac.Client, *, mount: str = "secret", prefix: str = "cmh") -> None:
        self._client = client
        self._mount = mount
        self._prefix = prefix.strip("/")

    async def read(self, name: str) -> str:
        group, _, key = name.rpartition("/")
        path = "/".join(part for part in (self._prefix, group) if part)
        answer = await _call(
            self._client.secrets.kv.v2.read_secret_version,
            path=path,
            mount_point=self._mount,
            raise_on_deleted_version=True,
        )
        fields: dict[str, Any] = answer["data"]["data"] or {}
        if key not in fields:
            raise SecretNotFound(f"{self._mount}/{path} has no field {key!r}")
        return str(fields[key])


class VaultDatabaseCredentials:
    """Dynamic PostgreSQL credentials of one role. ``keep_fresh`` renews the lease; when
    Vault grants less than the lease's full length (the max TTL is near) or refuses the
    renewal, it reads new credentials, which new connections use from then on."""

    def __init__(
        self,
        client: hvac.Client,
        role: str,
        *,
        mount: str = "database",
        renew_fraction: float = 0.5,
    ) -> None:
        self._client = client
        self._role = role
        self._mount = mount
        self._renew_fraction = renew_fraction
        self._current: DatabaseCredentials | None = None
        self._full_lease = 0.0

    def current(self) -> DatabaseCredentials:
        if self._current is None:
            raise RuntimeError("no database credentials yet: await refresh() first")
        return self._current

    async def refresh(self) -> DatabaseCredentials:
        answer = await _call(
            self._client.secrets.database.generate_credentials,
            name=self._role,
            mount_point=self._mount,
        )
        self._current = DatabaseCredentials(
            username=answer["data"]["username"],
            password=answer["data"]["password"],
            lease_id=answer["lease_id"],
            lease_seconds=float(answer["lease_duration"]),
        )
        self._full_lease = self._current.lease_seconds
        _log.info("database credentials read", extra={"lease_seconds": self._full_lease})
        return self._current

    async def keep_fresh(self) -> DatabaseCredentials:
        current = self.current()
        try:
            answer = await _call(
                self._client.sys.renew_lease,
                lease_id=current.lease_id,
                increment=int(self._full_lease),
            )
        except (vault_errors.InvalidRequest, SecretNotFound):
            # The lease is gone (expired, revoked): only new credentials will do.
            return await self.refresh()
        granted = float(answer["lease_duration"])
        if granted < self._full_lease:
            return await self.refresh()
        self._current = DatabaseCredentials(
            current.username, current.password, current.lease_id, granted
        )
        return self._current

    async def maintain(self) -> None:
        """Until cancelled: keep the credentials fresh at ``renew_fraction`` of each lease."""
        while True:
            await asyncio.sleep(max(1.0, self.current().lease_seconds * self._renew_fraction))
            try:
                await self.keep_fresh()
            except Exception:
                # Vault unreachable for a moment: the current lease still has time left.
                _log.warning("database credentials not renewed", exc_info=True)
