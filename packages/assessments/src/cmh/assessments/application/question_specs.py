"""The parts of a question as commands carry them (and request bodies decode them), with
their bounds: bad input is refused naming the field before any use case runs."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from cmh.assessments.domain.questions import Choice, Key

Id = Annotated[str, Meta(min_length=1, max_length=64)]
Text = Annotated[str, Meta(min_length=1, max_length=2000)]
Skill = Annotated[str, Meta(min_length=1, max_length=40)]
Accepted = Annotated[str, Meta(min_length=1, max_length=200)]


class ChoiceSpec(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    id: Annotated[str, Meta(min_length=1, max_length=16)]
    text: Annotated[str, Meta(min_length=1, max_length=500)]


class KeySpec(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    choice_ids: Annotated[list[Annotated[str, Meta(max_length=16)]], Meta(max_length=12)] = []
    truth: bool | None = None
    value: float | None = None
    tolerance: Annotated[float, Meta(ge=0)] = 0.0
    accepted: Annotated[list[Accepted], Meta(max_length=20)] = []
    lab_template_id: Id | None = None
    lab_task_id: Id | None = None

    def key(self) -> Key:
        return Key(
            choice_ids=tuple(self.choice_ids),
            truth=self.truth,
            value=self.value,
            tolerance=self.tolerance,
            accepted=tuple(self.accepted),
            lab_template_id=self.lab_template_id,
            lab_task_id=self.lab_task_id,
        )


def choices_of(specs: list[ChoiceSpec]) -> tuple[Choice, ...]:
    return tuple(Choice(id=c.id, text=c.text) for c in specs)
