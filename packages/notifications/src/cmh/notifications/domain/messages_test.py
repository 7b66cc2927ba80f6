from __future__ import annotations

from cmh.notifications.domain.messages import KINDS, language_of, text_for


def test_the_recipients_language_is_chosen_by_locale_and_english_is_the_fallback() -> None:
    assert language_of("de-AT") == "de"
    assert language_of("de_DE") == "de"
    assert language_of("fr-FR") == "en"
    assert text_for("lab.ready", "de", {}).title == "Dein Lab ist bereit"
    assert text_for("lab.ready", "pt-BR", {}).title == "Your lab is ready"


def test_variables_fill_the_text_and_missing_ones_read_empty() -> None:
    assert text_for("user.welcome", "en", {"name": "Ada"}).title.endswith("Ada")
    assert text_for("user.welcome", "en", {}).title == "Welcome to CloudMastersHub, "


def test_every_kind_speaks_english_and_german() -> None:
    assert all(set(kind.texts) == {"en", "de"} for kind in KINDS.values())
