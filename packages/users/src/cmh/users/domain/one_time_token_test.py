from datetime import UTC, datetime, timedelta

import pytest

from cmh.kernel.errors import InvalidInput
from cmh.users.domain.one_time_token import OneTimeToken, TokenPurpose

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _token() -> OneTimeToken:
    return OneTimeToken.issue(
        token_id="o1",
        user_id="u",
        purpose=TokenPurpose.VERIFY_EMAIL,
        token_hash="h",
        now=T0,
        ttl=timedelta(hours=1),
    )


def test_a_token_is_consumed_once() -> None:
    token = _token()
    token.consume(TokenPurpose.VERIFY_EMAIL, T0)
    assert token.used_at == T0
    with pytest.raises(InvalidInput, match="not valid") as error:
        token.consume(TokenPurpose.VERIFY_EMAIL, T0)
    assert error.value.code == "token_invalid"
    assert error.value.field == "token"


def test_a_token_is_good_for_its_purpose_only() -> None:
    with pytest.raises(InvalidInput):
        _token().consume(TokenPurpose.RESET_PASSWORD, T0)


def test_an_expired_token_says_so() -> None:
    with pytest.raises(InvalidInput) as error:
        _token().consume(TokenPurpose.VERIFY_EMAIL, T0 + timedelta(hours=1))
    assert error.value.code == "token_expired"
