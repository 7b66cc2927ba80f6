"""An instructor (or admin) declares a file; they get a presigned URL to upload it to."""

from __future__ import annotations

import msgspec

from cmh.content.application.common import LinkLifetimes
from cmh.content.application.ports import AssetRepository, ContentUnitOfWork, ObjectStorage
from cmh.content.application.views import RegisteredAsset, asset_view, upload_view
from cmh.content.domain.asset import Asset, AssetKind
from cmh.kernel.auth.principal import Principal, Role
from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.errors import Forbidden


class RegisterAssetCommand(msgspec.Struct, frozen=True, kw_only=True):
    filename: str
    content_type: str
    size_bytes: int
    kind: AssetKind


class RegisterAsset:
    def __init__(
        self,
        assets: AssetRepository,
        storage: ObjectStorage,
        uow: ContentUnitOfWork,
        clock: Clock,
        ids: IdGenerator,
        lifetimes: LinkLifetimes,
    ) -> None:
        self._assets = assets
        self._storage = storage
        self._uow = uow
        self._clock = clock
        self._ids = ids
        self._upload_ttl = lifetimes.upload

    async def execute(self, caller: Principal, command: RegisterAssetCommand) -> RegisteredAsset:
        if not (caller.has_role(Role.INSTRUCTOR) or caller.is_admin):
            raise Forbidden("only instructors and admins upload media", code="instructor_required")
        now = self._clock.now()
        asset = Asset.register(
            asset_id=self._ids.new_id(),
            owner_id=caller.user_id,
            kind=command.kind,
            filename=command.filename,
            content_type=command.content_type,
            size_bytes=command.size_bytes,
            now=now,
        )
        # Signing is local computation: done before the commit so a stored asset always
        # came with an upload URL.
        upload = await self._storage.presign_upload(
            asset.source_key, content_type=asset.content_type, expires_at=now + self._upload_ttl
        )
        async with self._uow:
            await self._assets.add(asset)
            await self._uow.commit()
        return RegisteredAsset(asset=asset_view(asset), upload=upload_view(upload))
