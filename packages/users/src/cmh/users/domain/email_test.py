import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cmh.kernel.errors import InvalidInput
from cmh.users.domain.email import Email


def _parsed(raw: str) -> Email | None:
    try:
        return Email.parse(raw)
    except InvalidInput:
        return None


@given(st.emails())
def test_normalization_ignores_case_and_surrounding_space(raw: str) -> None:
    email = _parsed(raw)
    assume(email is not None)
    assert email == Email.parse(f"  {raw.upper()}\t")
    assert email == Email.parse(raw.lower())


@given(st.emails())
def test_normalization_is_idempotent(raw: str) -> None:
    email = _parsed(raw)
    assume(email is not None)
    assert email is not None
    assert Email.parse(email.value) == email
    assert email.value == email.value.lower()


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "ada",
        "ada@",
        "@example.com",
        "ada@@example.com",
        "ada@localhost",
        "a b@example.com",
        "x" * 250 + "@example.com",
    ],
)
def test_invalid_addresses_name_the_field(raw: str) -> None:
    with pytest.raises(InvalidInput) as error:
        Email.parse(raw)
    assert error.value.field == "email"


def test_unicode_domain_is_accepted_and_normalized() -> None:
    assert Email.parse("Jose@Bücher.DE").value == "jose@bücher.de"


def test_the_erased_placeholder_carries_only_the_id() -> None:
    assert Email.erased("u-1").value == "erased-u-1@erased.invalid"
