"""Request bodies of the forum API (responses are the application's views)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

Title = Annotated[str, msgspec.Meta(min_length=3, max_length=200)]
Body = Annotated[str, msgspec.Meta(min_length=1, max_length=20_000)]
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class NewThread(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    title: Title
    body: Body


class NewReply(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    body: Body
    parent_id: str | None = None


class PostEdit(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    body: Body
    title: Title | None = None


class Reaction(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """``kind``: like, helpful, insightful or thanks; ``remove`` takes it back."""

    # The reactions the thread knows (cmh.forum.domain.thread.REACTIONS), stated in the
    # schema: clients and the fuzz run see the choice, not a string any length allows.
    kind: Literal["like", "helpful", "insightful", "thanks"]
    remove: bool = False


class ReasonBody(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    reason: Reason


class ModerationBody(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    reason: Reason


class BanBody(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    user_id: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    until: datetime
    reason: Reason
