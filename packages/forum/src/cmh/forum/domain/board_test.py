from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cmh.forum.domain.actor import Actor
from cmh.forum.domain.board import Board
from cmh.forum.domain.errors import InvalidPost, NotAllowed
from cmh.forum.domain.events import BoardOpened, ModerationAudited
from cmh.kernel.domain_events import take_events

NOW = datetime(2026, 3, 1, tzinfo=UTC)
ADMIN = Actor("root", admin=True)


def test_a_ban_lasts_its_period_and_is_audited_with_who_and_why() -> None:
    board = Board.open("b1", "c1", "Course", NOW)
    with pytest.raises(NotAllowed):
        board.ban(Actor("ana", member=True), "ben", NOW + timedelta(hours=1), "rude", NOW)
    with pytest.raises(InvalidPost) as past:
        board.ban(ADMIN, "ben", NOW, "rude", NOW)
    assert past.value.field == "until"
    board.ban(ADMIN, "ben", NOW + timedelta(hours=1), "rude", NOW)
    assert board.banned("ben", NOW + timedelta(minutes=59))
    assert not board.banned("ben", NOW + timedelta(hours=1))
    board.lift_ban(ADMIN, "ben", "apologised", NOW)
    assert not board.banned("ben", NOW)
    assert take_events(board) == [
        BoardOpened("b1", "c1", NOW),
        ModerationAudited("b1", "ban", "ben", "root", "rude", NOW),
        ModerationAudited("b1", "unban", "ben", "root", "apologised", NOW),
    ]
