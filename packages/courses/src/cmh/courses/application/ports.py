"""What the Courses use cases need from the outside world, named for what it does."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

import msgspec

from cmh.courses.domain.course import Course
from cmh.courses.domain.enrollment import Enrollment
from cmh.courses.domain.progress import CourseProgress

if TYPE_CHECKING:  # the read models embed this module's CourseDocument and Facets
    from cmh.courses.application.views import CatalogPage, CourseView
from cmh.kernel.auth.principal import Principal


class CourseRepository(Protocol):
    async def get(self, course_id: str) -> Course | None: ...

    async def add(self, course: Course) -> None: ...

    async def save(self, course: Course) -> None:
        """Store a changed course; raises kernel ``Conflict`` when it changed meanwhile."""

    async def get_many(self, course_ids: list[str]) -> list[Course]: ...

    async def list_published(self) -> list[Course]: ...

    async def list_owned_by(self, owner_id: str) -> list[Course]:
        """Every course of one owner, drafts and archived ones too, newest change first."""


class EnrollmentRepository(Protocol):
    async def get(self, user_id: str, course_id: str) -> Enrollment | None: ...

    async def add(self, enrollment: Enrollment) -> None: ...

    async def save(self, enrollment: Enrollment) -> None: ...

    async def list_for_user(self, user_id: str) -> list[Enrollment]: ...

    async def delete_for_user(self, user_id: str) -> int: ...


class ProgressRepository(Protocol):
    async def get(self, user_id: str, course_id: str) -> CourseProgress | None: ...

    async def add(self, progress: CourseProgress) -> None: ...

    async def save(self, progress: CourseProgress) -> None:
        """Store changed progress; raises kernel ``Conflict`` when it changed meanwhile."""

    async def list_for_user(self, user_id: str) -> list[CourseProgress]: ...

    async def delete_for_user(self, user_id: str) -> int: ...


# --- lesson content (a document per lesson) ---------------------------------------------


class ContentBlock(msgspec.Struct, frozen=True, kw_only=True):
    kind: str
    text: str = ""
    language: str | None = None
    url: str | None = None


class Attachment(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    url: str
    size_bytes: int = 0


class LessonContent(msgspec.Struct, frozen=True, kw_only=True):
    course_id: str
    lesson_id: str
    blocks: list[ContentBlock]
    attachments: list[Attachment] = []
    asset_id: str | None = None
    lab_ref: str | None = None
    quiz_ref: str | None = None
    updated_at: datetime
    updated_by: str


class LessonContentStore(Protocol):
    async def get(self, course_id: str, lesson_id: str) -> LessonContent | None: ...

    async def put(self, content: LessonContent) -> None: ...


# --- search -----------------------------------------------------------------------------


class CourseDocument(msgspec.Struct, frozen=True, kw_only=True):
    """A published course as the catalog lists it (and as search indexes it)."""

    id: str
    title: str
    summary: str
    provider: str
    level: str
    tags: list[str]
    estimated_minutes: int
    lesson_count: int
    owner_id: str
    published_at: datetime


class SearchQuery(msgspec.Struct, frozen=True, kw_only=True):
    text: str | None = None
    provider: str | None = None
    level: str | None = None
    tag: str | None = None
    offset: int = 0
    limit: int = 20


class Facets(msgspec.Struct, frozen=True, kw_only=True):
    provider: dict[str, int]
    level: dict[str, int]
    tags: dict[str, int]


class SearchResult(msgspec.Struct, frozen=True, kw_only=True):
    documents: list[CourseDocument]
    total: int
    facets: Facets


class CourseSearch(Protocol):
    """Facets count the courses matching the text and every filter; results are ordered by
    relevance when there is text, then by title and id (a stable order for cursors)."""

    async def index(self, document: CourseDocument) -> None: ...

    async def index_all(self, documents: Sequence[CourseDocument]) -> None:
        """Many documents at once (a rebuild), every one searchable when it returns."""
        ...

    async def remove(self, course_id: str) -> None: ...

    async def search(self, query: SearchQuery) -> SearchResult: ...


# --- other services ---------------------------------------------------------------------


class LearnerEntitlements(msgspec.Struct, frozen=True, kw_only=True):
    user_id: str
    tier: str
    course_levels: frozenset[str]
    active: bool


class Entitlements(Protocol):
    """Asks the users context what a user may take; raises kernel ``NotFound`` for an
    unknown user and ``DependencyUnavailable`` when users does not answer."""

    async def of(self, user_id: str) -> LearnerEntitlements: ...


class PlaybackUrl(msgspec.Struct, frozen=True, kw_only=True):
    url: str
    expires_at: datetime


class Playback(Protocol):
    """Asks the content context for a signed URL of a video asset, for one user, in one
    course: content signs it only when the asset was attached to that course (raises
    kernel ``NotFound`` otherwise, as for a missing asset)."""

    async def url_for(self, asset_id: str, user_id: str, course_id: str) -> PlaybackUrl: ...


class AttachedAsset(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    kind: str  # video, image, document, caption
    status: str  # created, uploaded, processing, ready, failed


class MediaLibrary(Protocol):
    """Asks the content context to let a course play an asset, on behalf of the caller:
    content checks that the caller owns the asset (or is an admin) and records the
    course. Raises kernel ``NotFound`` for an asset that is missing or not the caller's
    (content does not say which) and ``DependencyUnavailable`` when content does not
    answer. Attaching twice is harmless."""

    async def attach(self, caller: Principal, asset_id: str, course_id: str) -> AttachedAsset: ...


class LabSessionSummary(msgspec.Struct, frozen=True, kw_only=True):
    """The session labs requested for a learner (provisioning goes on in labs)."""

    id: str
    user_id: str
    template_id: str
    course_id: str | None
    lesson_id: str | None
    provider: str
    status: str
    region: str
    requested_at: datetime
    expires_at: datetime | None
    max_score: int


class Labs(Protocol):
    """The labs context, for lab lessons. ``launch`` starts a template's lab for a
    learner courses found entitled to the lesson; labs checks tier and lab hours and
    raises kernel ``Forbidden`` (``not_entitled``), ``Conflict`` (``lab_already_running``)
    or ``NotFound`` (``lab_template_not_found``) with its own codes, which pass through.
    ``owner_of`` is who authored a template, ``None`` when there is no such template.
    Both raise ``DependencyUnavailable`` when labs does not answer."""

    async def launch(
        self, user_id: str, template_id: str, course_id: str, lesson_id: str
    ) -> LabSessionSummary: ...

    async def owner_of(self, template_id: str) -> str | None: ...


class CatalogCache(Protocol):
    """Catalog answers for published courses, dropped on writes."""

    async def get_page(self, key: str) -> CatalogPage | None: ...

    async def put_page(self, key: str, page: CatalogPage) -> None: ...

    async def get_course(self, course_id: str) -> CourseView | None: ...

    async def put_course(self, course_id: str, course: CourseView) -> None: ...

    async def invalidate(self, course_id: str) -> None: ...
