"""Learning preferences: locale, timezone, interests and self-assessed skill level."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from cmh.kernel.errors import InvalidInput

# BCP 47 in practice: a 2-3 letter language, then optional script/region/variant subtags.
LOCALE_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$"
_LOCALE = re.compile(LOCALE_PATTERN)
MAX_LOCALE_LENGTH = 35
MAX_TIMEZONE_LENGTH = 64
MAX_INTERESTS = 20
MAX_INTEREST_LENGTH = 40
DEFAULT_LOCALE = "en"
DEFAULT_TIMEZONE = "UTC"


class SkillLevel(StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


def parse_locale(raw: str, *, field: str = "locale") -> str:
    if len(raw) > MAX_LOCALE_LENGTH or not _LOCALE.match(raw):
        raise InvalidInput("use a language tag such as en, pt-BR or zh-Hant-TW", field=field)
    language, *subtags = raw.split("-")
    canonical = [language.lower()]
    for subtag in subtags:
        if len(subtag) == 2 and subtag.isalpha():
            canonical.append(subtag.upper())
        elif len(subtag) == 4 and subtag.isalpha():
            canonical.append(subtag.title())
        else:
            canonical.append(subtag.lower())
    return "-".join(canonical)


def parse_timezone(raw: str, *, field: str = "timezone") -> str:
    # The IANA database is reference data shipped with Python, read like a constant table.
    if not raw or len(raw) > MAX_TIMEZONE_LENGTH:
        raise InvalidInput("use an IANA time zone such as Europe/Paris", field=field)
    try:
        zone = zoneinfo.ZoneInfo(raw)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"unknown time zone {raw!r}", field=field) from None
    return zone.key


def parse_interests(raw: Iterable[str], *, field: str = "interests") -> tuple[str, ...]:
    """Trimmed, lower-cased, de-duplicated in first-seen order, bounded in count and size."""
    seen: dict[str, None] = {}
    for item in raw:
        interest = " ".join(item.split()).lower()
        if not interest:
            raise InvalidInput("an interest cannot be empty", field=field)
        if len(interest) > MAX_INTEREST_LENGTH:
            raise InvalidInput(
                f"an interest is at most {MAX_INTEREST_LENGTH} characters", field=field
            )
        seen[interest] = None
    if len(seen) > MAX_INTERESTS:
        raise InvalidInput(f"at most {MAX_INTERESTS} interests", field=field)
    return tuple(seen)


@dataclass(frozen=True, slots=True)
class Profile:
    locale: str = DEFAULT_LOCALE
    timezone: str = DEFAULT_TIMEZONE
    interests: tuple[str, ...] = ()
    skill_level: SkillLevel | None = None


@dataclass(frozen=True, slots=True)
class ProfileChanges:
    """What a learner asked to change; ``None`` leaves a field as it is."""

    display_name: str | None = None
    locale: str | None = None
    timezone: str | None = None
    interests: tuple[str, ...] | None = None
    skill_level: SkillLevel | None = None
