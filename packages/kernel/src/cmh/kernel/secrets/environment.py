"""Secrets from the environment, as every app read them before the port: a variable, or
the file a ``..._FILE`` variable names (a mounted Kubernetes Secret, a Compose secret)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from pathlib import Path

from cmh.kernel.secrets.ports import SecretNotFound


def variable_of(name: str, prefix: str = "CMH_") -> str:
    """``tokens/private_key`` -> ``CMH_TOKENS__PRIVATE_KEY`` (the settings' nesting)."""
    return prefix + "__".join(part.upper() for part in name.split("/"))


class EnvironmentSecrets:
    def __init__(self, environ: Mapping[str, str] | None = None, prefix: str = "CMH_") -> None:
        self._environ = os.environ if environ is None else environ
        self._prefix = prefix

    async def read(self, name: str) -> str:
        variable = variable_of(name, self._prefix)
        value = self._environ.get(variable)
        if value:
            return value
        path = self._environ.get(variable + "_FILE")
        if path:
            try:
                # A mounted secret ends with the editor's newline more often than not.
                return (await asyncio.to_thread(Path(path).read_text)).rstrip("\n")
            except FileNotFoundError:
                raise SecretNotFound(
                    f"{variable}_FILE names {path}, which does not exist"
                ) from None
        raise SecretNotFound(f"set {variable} or {variable}_FILE")
