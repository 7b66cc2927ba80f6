"""The Asset aggregate: a media file an instructor uploads and the platform processes.

Lifecycle: created -> uploaded -> processing -> ready | failed. Any non-final state may
fail. Pure: times and ids are passed in by the application layer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from cmh.content.domain.errors import InvalidAsset, InvalidTransition
from cmh.content.domain.events import AssetFailed, AssetReady, AssetRegistered, AssetUploaded
from cmh.kernel.domain_events import recorded_events

MiB = 1024 * 1024


class AssetKind(StrEnum):
    VIDEO = "video"
    IMAGE = "image"
    DOCUMENT = "document"
    CAPTION = "caption"


class AssetStatus(StrEnum):
    CREATED = "created"
    UPLOADED = "uploaded"
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


MAX_SIZE_BYTES: dict[AssetKind, int] = {
    AssetKind.VIDEO: 5 * 1024 * MiB,
    AssetKind.IMAGE: 20 * MiB,
    AssetKind.DOCUMENT: 100 * MiB,
    AssetKind.CAPTION: 2 * MiB,
}

CONTENT_TYPES: dict[AssetKind, frozenset[str]] = {
    AssetKind.VIDEO: frozenset({"video/mp4", "video/webm", "video/quicktime"}),
    AssetKind.IMAGE: frozenset({"image/png", "image/jpeg", "image/webp", "image/svg+xml"}),
    AssetKind.DOCUMENT: frozenset({"application/pdf", "text/markdown", "text/plain"}),
    AssetKind.CAPTION: frozenset({"text/vtt", "application/x-subrip"}),
}

ALLOWED_TRANSITIONS: dict[AssetStatus, frozenset[AssetStatus]] = {
    AssetStatus.CREATED: frozenset({AssetStatus.UPLOADED, AssetStatus.FAILED}),
    AssetStatus.UPLOADED: frozenset({AssetStatus.PROCESSING, AssetStatus.FAILED}),
    AssetStatus.PROCESSING: frozenset({AssetStatus.READY, AssetStatus.FAILED}),
    AssetStatus.READY: frozenset(),
    AssetStatus.FAILED: frozenset(),
}

ERASED_OWNER = "erased-user"
MAX_COURSE_ID_LENGTH = 200
_UNSAFE_FILENAME_CHARS = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class Rendition:
    """One playable variant. ``transcoded`` is False when it is a copy of the source."""

    name: str
    key: str
    transcoded: bool
    bitrate_kbps: int | None = None
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True, slots=True)
class Caption:
    language: str
    key: str


def storage_filename(filename: str) -> str:
    """The uploaded name reduced to characters safe in any object key and URL."""
    cleaned = _UNSAFE_FILENAME_CHARS.sub("_", filename.strip()).strip("._")
    return cleaned[-120:] or "file"


def _validate_registration(
    kind: AssetKind, filename: str, content_type: str, size_bytes: int
) -> None:
    if not filename.strip() or len(filename) > 255 or "/" in filename or "\\" in filename:
        raise InvalidAsset(
            "filename must be 1-255 characters without path separators", field="filename"
        )
    if content_type not in CONTENT_TYPES[kind]:
        allowed = ", ".join(sorted(CONTENT_TYPES[kind]))
        raise InvalidAsset(f"a {kind} asset must be one of: {allowed}", field="content_type")
    if size_bytes <= 0:
        raise InvalidAsset("size_bytes must be positive", field="size_bytes")
    if size_bytes > MAX_SIZE_BYTES[kind]:
        raise InvalidAsset(
            f"a {kind} asset may be at most {MAX_SIZE_BYTES[kind]} bytes", field="size_bytes"
        )


@dataclass(slots=True)
class Asset:
    id: str
    owner_id: str
    kind: AssetKind
    filename: str
    content_type: str
    size_bytes: int
    source_key: str
    status: AssetStatus
    created_at: datetime
    updated_at: datetime
    stored_bytes: int | None = None
    failure_reason: str | None = None
    renditions: tuple[Rendition, ...] = ()
    captions: tuple[Caption, ...] = ()
    thumbnail_key: str | None = None
    # Courses whose lessons may play it: attached by the owner or an admin (an asset id
    # alone is not a capability).
    attached_to: tuple[str, ...] = ()
    # Optimistic concurrency: the version this copy was read at (0 = never stored).
    version: int = 0
    events: list[object] = recorded_events()  # a copy starts without them

    @classmethod
    def register(
        cls,
        *,
        asset_id: str,
        owner_id: str,
        kind: AssetKind,
        filename: str,
        content_type: str,
        size_bytes: int,
        now: datetime,
    ) -> Asset:
        _validate_registration(kind, filename, content_type, size_bytes)
        asset = cls(
            id=asset_id,
            owner_id=owner_id,
            kind=kind,
            filename=filename.strip(),
            content_type=content_type,
            size_bytes=size_bytes,
            source_key=f"assets/{asset_id}/source/{storage_filename(filename)}",
            status=AssetStatus.CREATED,
            created_at=now,
            updated_at=now,
        )
        asset.events.append(
            AssetRegistered(
                asset.id,
                owner_id,
                kind.value,
                asset.filename,
                content_type,
                size_bytes,
            )
        )
        return asset

    def copy(self) -> Asset:
        return replace(self)

    def _move_to(self, target: AssetStatus, now: datetime) -> None:
        if target not in ALLOWED_TRANSITIONS[self.status]:
            raise InvalidTransition(f"an asset that is {self.status} cannot become {target}")
        self.status = target
        self.updated_at = now

    def confirm_upload(self, stored_bytes: int, now: datetime) -> None:
        """The object exists in storage; it may not be larger than what was declared."""
        if stored_bytes > self.size_bytes:
            raise InvalidAsset(
                f"the stored object has {stored_bytes} bytes, more than the declared "
                f"{self.size_bytes}",
                code="upload_size_mismatch",
                field="size_bytes",
            )
        self._move_to(AssetStatus.UPLOADED, now)
        self.stored_bytes = stored_bytes
        self.events.append(
            AssetUploaded(self.id, self.owner_id, self.kind.value, self.source_key, stored_bytes)
        )

    def start_processing(self, now: datetime) -> None:
        self._move_to(AssetStatus.PROCESSING, now)

    def mark_ready(
        self,
        now: datetime,
        *,
        renditions: tuple[Rendition, ...] = (),
        captions: tuple[Caption, ...] = (),
        thumbnail_key: str | None = None,
    ) -> None:
        if self.kind is AssetKind.VIDEO and not renditions:
            raise InvalidTransition("a video asset needs at least one rendition to be ready")
        self._move_to(AssetStatus.READY, now)
        self.renditions = renditions
        self.captions = captions
        self.thumbnail_key = thumbnail_key
        self.events.append(AssetReady(self.id, self.owner_id, self.kind.value, renditions))

    def fail(self, reason: str, now: datetime) -> None:
        self._move_to(AssetStatus.FAILED, now)
        self.failure_reason = reason[:500] or "unknown"
        self.events.append(AssetFailed(self.id, self.owner_id, self.failure_reason))

    @property
    def is_playable(self) -> bool:
        return self.kind is AssetKind.VIDEO and self.status is AssetStatus.READY

    def best_rendition(self) -> Rendition:
        """Real transcodes before copies, then the largest picture, then the highest bitrate."""
        if not self.renditions:
            raise InvalidTransition(f"asset {self.id} has no renditions")
        return max(
            self.renditions,
            key=lambda r: (r.transcoded, r.height or 0, r.bitrate_kbps or 0),
        )

    def visible_to(self, user_id: str, *, is_admin: bool) -> bool:
        return is_admin or self.owner_id == user_id

    def attach_to(self, course_id: str, now: datetime) -> bool:
        """Lets ``course_id``'s lessons play this asset; False when they already could.
        The caller has checked that whoever asks owns the asset or is an admin."""
        if not course_id.strip() or len(course_id) > MAX_COURSE_ID_LENGTH:
            raise InvalidAsset(
                f"course_id must be 1-{MAX_COURSE_ID_LENGTH} characters", field="course_id"
            )
        if course_id in self.attached_to:
            return False
        self.attached_to = (*self.attached_to, course_id)
        self.updated_at = now
        return True

    def plays_in(self, course_id: str) -> bool:
        return course_id in self.attached_to

    def anonymise_owner(self, now: datetime) -> None:
        """GDPR erasure: the course keeps the media, the asset forgets who uploaded it."""
        self.owner_id = ERASED_OWNER
        self.updated_at = now
