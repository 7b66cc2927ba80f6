import pytest

from cmh.kernel.errors import InvalidInput
from cmh.users.domain.profile import MAX_INTERESTS, parse_interests, parse_locale, parse_timezone


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("en", "en"),
        ("EN-gb", "en-GB"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("pt-BR", "pt-BR"),
        ("es-419", "es-419"),
    ],
)
def test_locales_are_canonicalized(raw: str, canonical: str) -> None:
    assert parse_locale(raw) == canonical


@pytest.mark.parametrize("raw", ["", "e", "english", "en_GB", "en-", "en-GB-x-" + "a" * 40])
def test_bad_locales_name_the_field(raw: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_locale(raw)
    assert error.value.field == "locale"


def test_known_timezones_are_accepted() -> None:
    assert parse_timezone("Europe/Paris") == "Europe/Paris"


@pytest.mark.parametrize(
    "raw", ["", "Mars/Olympus", "../../etc/passwd", "/etc/localtime", "x" * 100]
)
def test_unknown_or_hostile_timezones_are_refused(raw: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_timezone(raw)
    assert error.value.field == "timezone"


def test_interests_are_normalized_and_deduplicated() -> None:
    assert parse_interests(["AWS", " aws ", "Machine   Learning", "k8s"]) == (
        "aws",
        "machine learning",
        "k8s",
    )


@pytest.mark.parametrize(
    "raw", [[""], ["x" * 41], [f"topic {i}" for i in range(MAX_INTERESTS + 1)]]
)
def test_bad_interests_name_the_field(raw: list[str]) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_interests(raw)
    assert error.value.field == "interests"
