import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmh.users.domain.email import Email
from cmh.users.domain.errors import WeakPassword
from cmh.users.domain.password import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    character_classes,
    check_password,
)

EMAIL = Email.parse("ada.lovelace@example.com")
ONE_CLASS_ALPHABETS = [
    "abcdefghijklmnopqrstuvwxyz",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "0123456789",
    "!@#$%^&*()-_ ",
]


@given(st.text(max_size=MIN_PASSWORD_LENGTH - 1))
def test_short_passwords_are_refused(password: str) -> None:
    with pytest.raises(WeakPassword) as error:
        check_password(password, email=EMAIL)
    assert error.value.field == "password"


@given(
    st.sampled_from(ONE_CLASS_ALPHABETS).flatmap(
        lambda alphabet: st.text(alphabet=alphabet, min_size=MIN_PASSWORD_LENGTH, max_size=64)
    )
)
def test_single_class_passwords_are_refused(password: str) -> None:
    with pytest.raises(WeakPassword):
        check_password(password, email=EMAIL)


@given(
    st.text(
        alphabet=st.characters(codec="utf-8"),
        min_size=MIN_PASSWORD_LENGTH,
        max_size=MAX_PASSWORD_LENGTH,
    )
)
def test_long_enough_mixed_passwords_other_than_the_email_are_accepted(password: str) -> None:
    mixed = len(character_classes(password)) >= 2
    is_email = password.strip().casefold() in {EMAIL.value, EMAIL.local_part}
    if mixed and not is_email:
        check_password(password, email=EMAIL)
    else:
        with pytest.raises(WeakPassword):
            check_password(password, email=EMAIL)


@pytest.mark.parametrize(
    "password", ["Ada.Lovelace@example.com", "ADA.LOVELACE", " ada.lovelace@EXAMPLE.com "]
)
def test_the_email_or_its_local_part_is_refused(password: str) -> None:
    with pytest.raises(WeakPassword, match="email"):
        check_password(password, email=EMAIL)


def test_overlong_passwords_are_refused() -> None:
    with pytest.raises(WeakPassword):
        check_password("aA1" * 100, email=EMAIL)


def test_the_field_name_can_be_chosen() -> None:
    with pytest.raises(WeakPassword) as error:
        check_password("short", email=EMAIL, field="new_password")
    assert error.value.field == "new_password"
    assert error.value.code == "weak_password"
