"""What account mail says (verify the email, reset the password), in English and German:
the subject, the lines before the action link, the button and the expiry note. ``{hours}``
is how long the link works."""

from __future__ import annotations

from dataclasses import dataclass

from cmh.notifications.domain.messages import DEFAULT_LANGUAGE, language_of


@dataclass(frozen=True)
class AccountText:
    subject: str
    body: str
    action: str
    expiry: str


ACCOUNT_TEXTS: dict[str, dict[str, AccountText]] = {
    "email_verification": {
        "en": AccountText(
            "Confirm your email address",
            "Please confirm that this address is yours to finish setting up your account.",
            "Confirm my address",
            "The link works for {hours} hours. If you did not sign up, ignore this mail.",
        ),
        "de": AccountText(
            "Bestätige deine E-Mail-Adresse",
            "Bitte bestätige, dass diese Adresse dir gehört, um dein Konto fertig einzurichten.",
            "Adresse bestätigen",
            "Der Link gilt {hours} Stunden. Wenn du dich nicht registriert hast, ignoriere "
            "diese E-Mail.",
        ),
    },
    "password_reset": {
        "en": AccountText(
            "Reset your password",
            "Someone asked to reset the password of your account. Choose a new one here.",
            "Choose a new password",
            "The link works for {hours} hours. If it was not you, ignore this mail: your "
            "password stays as it is.",
        ),
        "de": AccountText(
            "Setze dein Passwort zurück",
            "Jemand hat verlangt, das Passwort deines Kontos zurückzusetzen. Wähle hier ein neues.",
            "Neues Passwort wählen",
            "Der Link gilt {hours} Stunden. Warst du es nicht, ignoriere diese E-Mail: dein "
            "Passwort bleibt, wie es ist.",
        ),
    },
}


def account_text(kind: str, locale: str, expires_in_seconds: int) -> AccountText:
    texts = ACCOUNT_TEXTS[kind]
    text = texts.get(language_of(locale), texts[DEFAULT_LANGUAGE])
    hours = max(1, round(expires_in_seconds / 3600))
    return AccountText(text.subject, text.body, text.action, text.expiry.format(hours=hours))
