"""A board: one per course (opened when the course is published) and the general board.
It keeps who is banned from it, until when."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from cmh.forum.domain.actor import Actor
from cmh.forum.domain.errors import BannedFromBoard, InvalidPost, NotAllowed
from cmh.forum.domain.events import BoardOpened, ModerationAudited
from cmh.kernel.domain_events import recorded_events

GENERAL_BOARD_ID = "general"


@dataclass(frozen=True, slots=True)
class Ban:
    until: datetime
    by: str
    reason: str


@dataclass
class Board:
    id: str
    course_id: str | None
    title: str
    opened_at: datetime
    bans: dict[str, Ban] = field(default_factory=dict)
    # Optimistic concurrency of the stored copy (0: never stored).
    version: int = field(default=0, compare=False)
    events: list[object] = recorded_events()

    @classmethod
    def open(cls, board_id: str, course_id: str | None, title: str, now: datetime) -> Board:
        board = cls(id=board_id, course_id=course_id, title=title, opened_at=now)
        board.events.append(BoardOpened(board_id=board_id, course_id=course_id, at=now))
        return board

    @classmethod
    def general(cls, now: datetime) -> Board:
        return cls.open(GENERAL_BOARD_ID, None, "General", now)

    def banned(self, user_id: str, now: datetime) -> bool:
        ban = self.bans.get(user_id)
        return ban is not None and now < ban.until

    def ensure_may_post(self, actor: Actor, now: datetime) -> None:
        if self.banned(actor.user_id, now):
            raise BannedFromBoard(f"banned from this board until {self.bans[actor.user_id].until}")
        if not (actor.member or actor.moderator):
            raise NotAllowed("only the course's learners and instructors post here")

    def ban(
        self, moderator: Actor, user_id: str, until: datetime, reason: str, now: datetime
    ) -> None:
        _require_moderator(moderator)
        _require_reason(reason)
        if until <= now:
            raise InvalidPost("a ban ends in the future", field="until")
        self.bans[user_id] = Ban(until=until, by=moderator.user_id, reason=reason)
        self._audit("ban", user_id, moderator, reason, now)

    def lift_ban(self, moderator: Actor, user_id: str, reason: str, now: datetime) -> None:
        _require_moderator(moderator)
        _require_reason(reason)
        if self.bans.pop(user_id, None) is not None:
            self._audit("unban", user_id, moderator, reason, now)

    def _audit(
        self, action: str, target: str, moderator: Actor, reason: str, now: datetime
    ) -> None:
        self.events.append(
            ModerationAudited(
                board_id=self.id,
                action=action,
                target_id=target,
                moderator_id=moderator.user_id,
                reason=reason,
                at=now,
            )
        )


def _require_moderator(actor: Actor) -> None:
    if not actor.moderator:
        raise NotAllowed("only the course's instructors and admins moderate")


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise InvalidPost("say why", field="reason")
