import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmh.kernel.errors import InvalidInput
from cmh.users.domain.display_name import MAX_DISPLAY_NAME_LENGTH, DisplayName


def test_whitespace_is_trimmed_and_collapsed() -> None:
    assert DisplayName.parse("  Ada \t\n Lovelace ").value == "Ada Lovelace"


@pytest.mark.parametrize(
    "raw", ["", "   ", "a" * (MAX_DISPLAY_NAME_LENGTH + 1), "Ada\u200bLovelace", "Ada\x00"]
)
def test_empty_long_or_invisible_names_are_refused(raw: str) -> None:
    with pytest.raises(InvalidInput) as error:
        DisplayName.parse(raw)
    assert error.value.field == "display_name"


@given(st.text(alphabet=st.characters(categories=["L", "N", "Zs", "P"]), min_size=1, max_size=200))
def test_parsed_names_are_normalized_and_bounded(raw: str) -> None:
    try:
        name = DisplayName.parse(raw)
    except InvalidInput:
        return
    assert name.value == name.value.strip()
    assert "  " not in name.value
    assert 1 <= len(name.value) <= MAX_DISPLAY_NAME_LENGTH
    assert DisplayName.parse(name.value) == name
