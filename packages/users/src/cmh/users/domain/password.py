"""The password policy, small and explicit (NIST SP 800-63B spirit: length first, no
composition theatre beyond refusing single-class strings, no reuse of the email)."""

from __future__ import annotations

from cmh.users.domain.email import Email
from cmh.users.domain.errors import WeakPassword

MIN_PASSWORD_LENGTH = 10
# argon2 accepts any length; the cap keeps hashing cost bounded per request.
MAX_PASSWORD_LENGTH = 256


def _character_class(char: str) -> str:
    if char.isdigit():
        return "digit"
    if char.islower():
        return "lower"
    if char.isupper():
        return "upper"
    return "other"


def character_classes(password: str) -> frozenset[str]:
    return frozenset(_character_class(char) for char in password)


def check_password(password: str, *, email: Email, field: str = "password") -> None:
    """Raise ``WeakPassword`` naming ``field`` when ``password`` breaks a rule."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"use at least {MIN_PASSWORD_LENGTH} characters", field=field)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPassword(f"use at most {MAX_PASSWORD_LENGTH} characters", field=field)
    if len(character_classes(password)) < 2:
        raise WeakPassword(
            "mix at least two kinds of characters (lower case, upper case, digits, symbols)",
            field=field,
        )
    folded = password.strip().casefold()
    if folded in {email.value.casefold(), email.local_part.casefold()}:
        raise WeakPassword("the password cannot be your email address", field=field)
