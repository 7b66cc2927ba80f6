"""Request bodies of the forum API (responses are the application's views)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

# The domain's rules on text, stated in the schema (no U+0000 either, as every string):
# a body or a reason holds something besides whitespace (the domain strips it); a title
# has three characters once runs of whitespace are one space: three visible ones, or two
# with whitespace between them.
_SAYS_SOMETHING = r"^[^\x00]*[^\x00\s][^\x00]*$"
_TITLE = r"^[^\x00]*(?:[^\x00\s][^\x00]*[^\x00\s][^\x00]*[^\x00\s]|[^\x00\s]\s+[^\x00\s])[^\x00]*$"
Title = Annotated[str, msgspec.Meta(min_length=3, max_length=200, pattern=_TITLE)]
Body = Annotated[str, msgspec.Meta(min_length=1, max_length=20_000, pattern=_SAYS_SOMETHING)]
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=500, pattern=_SAYS_SOMETHING)]


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
