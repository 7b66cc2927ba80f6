"""The account email: validated syntactically and normalized so that lookups and the
uniqueness rule are case-insensitive."""

from __future__ import annotations

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

from cmh.kernel.errors import InvalidInput

MAX_EMAIL_LENGTH = 254


@dataclass(frozen=True, slots=True)
class Email:
    value: str

    @classmethod
    def parse(cls, raw: str, *, field: str = "email") -> Email:
        candidate = raw.strip()
        if not candidate or len(candidate) > MAX_EMAIL_LENGTH:
            raise InvalidInput("enter an email address such as ada@example.com", field=field)
        try:
            # Syntax only: a DNS lookup here would make the domain impure and slow.
            result = validate_email(candidate, check_deliverability=False)
        except EmailNotValidError as exc:
            raise InvalidInput(str(exc), field=field) from exc
        # Providers treat the local part case-insensitively in practice; one account per
        # mailbox matters more than honouring the rare case-sensitive server.
        return cls(result.normalized.lower())

    @classmethod
    def erased(cls, user_id: str) -> Email:
        """The placeholder an erased account keeps: no personal data, still unique."""
        return cls(f"erased-{user_id}@erased.invalid")

    @property
    def local_part(self) -> str:
        return self.value.rsplit("@", 1)[0]

    def __str__(self) -> str:
        return self.value
