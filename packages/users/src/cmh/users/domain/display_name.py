"""The name shown to other learners: trimmed, inner whitespace collapsed, printable."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from cmh.kernel.errors import InvalidInput

MAX_DISPLAY_NAME_LENGTH = 80
ERASED_DISPLAY_NAME = "Erased user"


@dataclass(frozen=True, slots=True)
class DisplayName:
    value: str

    @classmethod
    def parse(cls, raw: str, *, field: str = "display_name") -> DisplayName:
        collapsed = " ".join(raw.split())
        if not collapsed:
            raise InvalidInput("the display name cannot be empty", field=field)
        if len(collapsed) > MAX_DISPLAY_NAME_LENGTH:
            raise InvalidInput(
                f"the display name is at most {MAX_DISPLAY_NAME_LENGTH} characters", field=field
            )
        if any(unicodedata.category(char) in {"Cc", "Cf", "Co", "Cs"} for char in collapsed):
            raise InvalidInput("the display name contains invisible characters", field=field)
        return cls(collapsed)

    @classmethod
    def erased(cls) -> DisplayName:
        return cls(ERASED_DISPLAY_NAME)

    def __str__(self) -> str:
        return self.value
