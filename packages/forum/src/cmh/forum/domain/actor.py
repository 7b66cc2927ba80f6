"""Who acts on a board, with the rights the application resolved for that board."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Actor:
    """``instructor`` means an instructor of the board's course; ``admin`` a platform admin.
    ``member`` is set when the actor may post there (enrolled, instructor or admin; on the
    general board every signed-in user)."""

    user_id: str
    member: bool = False
    instructor: bool = False
    admin: bool = False

    @property
    def moderator(self) -> bool:
        return self.instructor or self.admin
