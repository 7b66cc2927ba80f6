"""The Content API wired for tests: memory repository (its writes staged in a shared
``InMemoryUnitOfWork``), scripted or real transcoder, local signer, tokens it issues."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dishka import AsyncContainer, Provider, Scope, from_context, make_async_container
from dishka.integrations.litestar import LitestarProvider
from litestar import Litestar

from cmh.content.adapters.local.signer import LocalUrlSigner
from cmh.content.adapters.local.storage import FilesystemObjectStorage
from cmh.content.adapters.memory.assets import MemoryAssetRepository
from cmh.content.adapters.memory.storage import MemoryObjectStorage
from cmh.content.adapters.memory.transcoder import ScriptedTranscoder
from cmh.content.adapters.pyav.transcoder import PyAvTranscoder
from cmh.content.api import CONTENT_ROUTES, MEDIA_ROUTES
from cmh.content.application.integration_events import CONTENT_EVENTS
from cmh.content.application.ports import (
    AssetRepository,
    ContentUnitOfWork,
    ObjectStorage,
    Transcoder,
    UrlSigner,
)
from cmh.content.di import ContentUseCasesProvider
from cmh.content.settings import ContentSettings
from cmh.kernel.auth.authenticator import Authenticator, LocalAuthenticator
from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.tokens import SigningKey, TokenIssuer, TokenSettings, TokenVerifier
from cmh.kernel.clock import Clock, FrozenClock, IdGenerator, SequentialIds
from cmh.kernel.settings import HttpSettings
from cmh.kernel.uow import InMemoryUnitOfWork, UnitOfWork
from cmh.kernel.web.app import create_http_app
from cmh.kernel.web.auth import PrincipalProvider

BASE_URL = "http://testserver.local"


class _GivenAdapters(Provider):
    scope = Scope.APP
    assets = from_context(AssetRepository)
    storage = from_context(ObjectStorage)
    transcoder = from_context(Transcoder)
    signer = from_context(UrlSigner)
    uow = from_context(ContentUnitOfWork)
    kernel_uow = from_context(UnitOfWork)  # the consumer runner's: the same one
    clock = from_context(Clock)
    ids = from_context(IdGenerator)


class _GivenMedia(Provider):
    scope = Scope.APP
    local_signer = from_context(LocalUrlSigner)
    filesystem = from_context(FilesystemObjectStorage)


class _GivenAuth(Provider):
    scope = Scope.APP
    authenticator = from_context(Authenticator)


@dataclass
class ContentTestHarness:
    container: AsyncContainer
    assets: MemoryAssetRepository
    storage: MemoryObjectStorage | FilesystemObjectStorage
    transcoder: ScriptedTranscoder | PyAvTranscoder
    signer: LocalUrlSigner
    uow: InMemoryUnitOfWork
    clock: FrozenClock
    settings: ContentSettings
    issuer: TokenIssuer

    def token(self, user_id: str, *roles: str) -> str:
        principal = Principal(user_id=user_id, roles=frozenset(roles))
        return self.issuer.issue_access(principal, now=self.clock.now(), token_id=f"t-{user_id}")

    def auth(self, user_id: str, *roles: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(user_id, *roles)}"}


def build_content_test_harness(
    *,
    media_dir: Path | None = None,
    extra_providers: Sequence[Provider] = (),
    with_http: bool = True,
    real_transcoder: bool = False,
) -> ContentTestHarness:
    """Memory repository, scripted transcoder, shared InMemoryUnitOfWork, LocalUrlSigner.
    With ``media_dir`` the storage is the filesystem one and the media routes work; with
    ``real_transcoder`` videos are really encoded (``PyAvTranscoder``: keep clips tiny)."""
    clock = FrozenClock()
    settings = ContentSettings(public_base_url=BASE_URL, local_media_dir=str(media_dir or ""))
    signer = LocalUrlSigner(secrets.token_bytes(32), BASE_URL)
    storage: MemoryObjectStorage | FilesystemObjectStorage = (
        FilesystemObjectStorage(media_dir, signer) if media_dir else MemoryObjectStorage()
    )
    key = SigningKey.generate()
    token_settings = TokenSettings()
    uow = InMemoryUnitOfWork(source="cloudmastershub/content", events=CONTENT_EVENTS)
    harness_parts: dict[Any, Any] = {
        ContentSettings: settings,
        AssetRepository: MemoryAssetRepository(uow),
        ObjectStorage: storage,
        Transcoder: PyAvTranscoder(storage) if real_transcoder else ScriptedTranscoder(),
        UrlSigner: signer,
        ContentUnitOfWork: uow,
        UnitOfWork: uow,
        Clock: clock,
        IdGenerator: SequentialIds("asset"),
    }
    providers: list[Provider] = [ContentUseCasesProvider(), _GivenAdapters(), *extra_providers]
    if with_http:
        verifier = TokenVerifier(key.jwks(), token_settings)
        harness_parts[Authenticator] = LocalAuthenticator(verifier, clock)
        providers += [LitestarProvider(), PrincipalProvider(), _GivenAuth()]
    if isinstance(storage, FilesystemObjectStorage):
        harness_parts[LocalUrlSigner] = signer
        harness_parts[FilesystemObjectStorage] = storage
        providers.append(_GivenMedia())
    container = make_async_container(*providers, context=harness_parts)
    return ContentTestHarness(
        container=container,
        assets=harness_parts[AssetRepository],
        storage=storage,
        transcoder=harness_parts[Transcoder],
        signer=signer,
        uow=harness_parts[ContentUnitOfWork],
        clock=clock,
        settings=settings,
        issuer=TokenIssuer(key, token_settings),
    )


def build_content_test_app(
    *, media_dir: Path | None = None, real_transcoder: bool = False
) -> tuple[Litestar, ContentTestHarness]:
    harness = build_content_test_harness(media_dir=media_dir, real_transcoder=real_transcoder)
    routes = [*CONTENT_ROUTES, *(MEDIA_ROUTES if media_dir else [])]
    app = create_http_app(
        container=harness.container,
        route_handlers=routes,
        title="Content test",
        http=HttpSettings(),
    )
    return app, harness
