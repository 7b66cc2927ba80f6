"""Pact between the services: what the consumer tests (``test_pact_consumers.py``) and the
provider verification (``test_pact_providers.py``) share.

A consumer test drives the consumer's real HTTP adapter against Pact's mock server and
compares the pact it records with the committed file under ``contracts/pacts/`` (``make
pacts``, i.e. ``CMH_PACT_WRITE=1``, rewrites the committed files instead), so the provider
side always verifies what the consumers' code asks for today, whatever order the tests
run in.

The provider side serves the provider's real API app (its test composition) with uvicorn
on a free loopback port in a thread of its own, and replays each pact against it with
Pact's verifier; provider states are Python callables run on the app's event loop.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import threading
import uuid
from collections.abc import Callable, Coroutine, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

import uvicorn
from dishka import AsyncContainer
from litestar import Litestar
from pact import Pact, Verifier
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.kernel.auth.principal import Principal
from cmh.users.domain.roles import service_principal
from cmh_testing.kernel.serving import free_port
from tests.contract.integration_map import ROOT

# Pact's library reports usage to its makers unless told not to; tests never phone home.
os.environ.setdefault("PACT_DO_NOT_TRACK", "true")

PACT_DIR = ROOT / "contracts" / "pacts"
WRITE_PACTS = os.environ.get("CMH_PACT_WRITE") == "1"
# Each provider state the provider's pacts name, as a coroutine that sets it up.
PactStates = Mapping[str, Callable[[], Coroutine[Any, Any, None]]]
T = TypeVar("T")


def pact_file(consumer: str, provider: str) -> Path:
    return PACT_DIR / f"{consumer}-{provider}.json"


@dataclass(frozen=True)
class PactPair:
    consumer: str
    provider: str


def read_pact(path: Path) -> PactPair:
    """Who a committed pact is between."""
    document = json.loads(path.read_text(encoding="utf-8"))
    return PactPair(document["consumer"]["name"], document["provider"]["name"])


def comparable(document: dict[str, Any]) -> dict[str, Any]:
    """A pact without what changes with the Pact library's version (its metadata), its
    interactions in a stable order."""
    return {
        "consumer": document["consumer"],
        "provider": document["provider"],
        "interactions": sorted(
            document["interactions"],
            key=lambda i: (i["description"], json.dumps(i.get("providerStates", []))),
        ),
    }


@contextmanager
def consumer_pact(consumer: str, provider: str, scratch: Path) -> Iterator[Pact]:
    """A pact the block fills with interactions (and exercises through ``pact.serve()``);
    afterwards the pact written matches the committed one, or rewrites it under
    ``CMH_PACT_WRITE=1``."""
    pact = Pact(consumer, provider).with_specification("V4")
    yield pact
    pact.write_file(scratch, overwrite=True)
    written = json.loads((scratch / f"{consumer}-{provider}.json").read_text(encoding="utf-8"))
    committed = pact_file(consumer, provider)
    if WRITE_PACTS:
        PACT_DIR.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(scratch / f"{consumer}-{provider}.json", committed)
    assert committed.is_file(), f"{committed.name} is not committed: run `make pacts`"
    recorded = json.loads(committed.read_text(encoding="utf-8"))
    assert comparable(written) == comparable(recorded), (
        f"contracts/pacts/{committed.name} is not what {consumer}'s code asks of {provider}: "
        "run `make pacts` and commit the pact"
    )


class ScriptedIds:
    """Ids the provider states ask for, in order, then fresh ones: a pact's requests name
    fixed ids, and the provider's own code makes them."""

    def __init__(self) -> None:
        self._next: list[str] = []

    def then(self, *ids: str) -> None:
        self._next.extend(ids)

    def new_id(self) -> str:
        return self._next.pop(0) if self._next else str(uuid.uuid4())


@dataclass
class ServedApp:
    """An app served in a thread of its own; ``run`` runs a coroutine on its loop."""

    url: str
    loop: asyncio.AbstractEventLoop

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(timeout=30)


@contextmanager
def served(app: Litestar) -> Iterator[ServedApp]:
    """``app`` (lifespan included) behind uvicorn on a free loopback port until the block
    ends: Pact's verifier sends real HTTP requests."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_until_complete, args=(server.serve(),), daemon=True)
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the provider app stopped before it started")
            threading.Event().wait(0.01)
        yield ServedApp(f"http://127.0.0.1:{port}", loop)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        loop.close()


@dataclass
class ProviderUnderTest:
    """A provider's app being served, the states its pacts name, and the credentials it
    accepts from each consumer (None: the pact's own headers are enough)."""

    name: str
    app: ServedApp
    states: PactStates
    credentials: Callable[[str], Coroutine[Any, Any, str | None]]

    def verify(self, consumer: str) -> None:
        """Replays ``consumer``'s committed pact against the app; fails when an answer
        differs from the pact (a field missing, another status...)."""

        def set_up(state: str, parameters: dict[str, Any] | None = None) -> None:
            if state not in self.states:
                raise KeyError(f"{self.name} has no provider state {state!r} ({consumer}'s pact)")
            self.app.run(self.states[state]())

        verifier = (
            Verifier(self.name, host="127.0.0.1")
            .add_transport(url=self.app.url)
            .add_source(pact_file(consumer, self.name))
            .state_handler(set_up, teardown=False)
            .set_error_on_empty_pact(enabled=True)
        )
        # The mock server took any bearer token; the provider checks real ones.
        authorization = self.app.run(self.credentials(consumer))
        if authorization is not None:
            verifier.add_custom_header("Authorization", authorization)
        try:
            verifier.verify()
        except RuntimeError as exc:
            raise AssertionError(
                f"{self.name} breaks {consumer}'s pact:\n{verifier.output(strip_ansi=True)}"
            ) from exc


class ComposedApp(Protocol):
    """A provider's test app as the harnesses build it."""

    app: Litestar
    container: AsyncContainer

    def auth(self, principal: Principal) -> dict[str, str]: ...


A = TypeVar("A", bound=ComposedApp)


def built(build: Coroutine[Any, Any, A]) -> A:
    """A provider's test app, built and migrated on a loop of its own: its pooled database
    connections are let go, so the loop that serves it opens its own."""

    async def building() -> A:
        composed = await build
        await (await composed.container.get(AsyncEngine)).dispose()
        return composed

    return asyncio.run(building())


def service_credentials(composed: ComposedApp) -> Callable[[str], Coroutine[Any, Any, str]]:
    """The bearer token of each consumer as a platform service, signed by the app's key."""

    async def credentials(consumer: str) -> str:
        return composed.auth(service_principal(consumer))["Authorization"]

    return credentials


def consumers_of(provider: str) -> list[str]:
    """The consumers with a pact committed for ``provider``."""
    return sorted(p.stem.removesuffix(f"-{provider}") for p in PACT_DIR.glob(f"*-{provider}.json"))
