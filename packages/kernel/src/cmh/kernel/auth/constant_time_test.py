import pytest

from cmh.kernel.auth.constant_time import constant_time_equals


def test_equal_texts_match() -> None:
    assert constant_time_equals("ab12", "ab12")


@pytest.mark.parametrize("given", ["ab13", "", "é", "ab12é", "\ud800", "\x00"])
def test_anything_else_is_a_plain_mismatch(given: str) -> None:
    assert constant_time_equals("ab12", given) is False
