from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmh.users.domain.errors import RefreshTokenExpired, RefreshTokenReused, RefreshTokenRevoked
from cmh.users.domain.refresh_token import RefreshToken

T0 = datetime(2026, 1, 1, tzinfo=UTC)
TTL = timedelta(days=14)


def _first() -> RefreshToken:
    return RefreshToken.start_family(token_id="t0", user_id="u", token_hash="h0", now=T0, ttl=TTL)


def test_a_family_starts_with_its_first_token() -> None:
    token = _first()
    assert token.family_id == "t0"
    assert token.expires_at == T0 + TTL
    assert token.is_live(T0)


def test_rotation_marks_the_used_token_and_extends_the_family() -> None:
    used = _first()
    successor = used.rotate(token_id="t1", token_hash="h1", now=T0 + timedelta(hours=1), ttl=TTL)
    assert used.replaced_by == "t1"
    assert used.rotated_at == T0 + timedelta(hours=1)
    assert not used.is_live(T0 + timedelta(hours=1))
    assert successor.family_id == used.family_id
    assert successor.expires_at == T0 + timedelta(hours=1) + TTL


def test_a_rotated_token_presented_again_is_reuse() -> None:
    used = _first()
    used.rotate(token_id="t1", token_hash="h1", now=T0, ttl=TTL)
    with pytest.raises(RefreshTokenReused):
        used.rotate(token_id="t2", token_hash="h2", now=T0, ttl=TTL)


def test_expired_and_revoked_tokens_cannot_rotate() -> None:
    expired = _first()
    with pytest.raises(RefreshTokenExpired):
        expired.ensure_usable(T0 + TTL)
    revoked = _first()
    revoked.revoke(T0)
    with pytest.raises(RefreshTokenRevoked):
        revoked.ensure_usable(T0)


@given(st.lists(st.booleans(), min_size=1, max_size=30))
def test_in_any_chain_only_the_newest_token_is_usable(replays: list[bool]) -> None:
    """Walk a chain of rotations; at each step optionally replay an old token. Every
    replay is detected, and the newest token is the only live one."""
    chain = [_first()]
    now = T0
    for step, replay in enumerate(replays, start=1):
        now += timedelta(minutes=5)
        if replay and len(chain) > 1:
            with pytest.raises(RefreshTokenReused):
                chain[step % (len(chain) - 1)].ensure_usable(now)
        chain.append(chain[-1].rotate(token_id=f"t{step}", token_hash=f"h{step}", now=now, ttl=TTL))
        assert [t.is_live(now) for t in chain] == [False] * (len(chain) - 1) + [True]
    assert {t.family_id for t in chain} == {"t0"}
