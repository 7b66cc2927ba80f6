"""The behaviour every implementation of the repository ports must show."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from cmh.kernel.auth.principal import Role
from cmh.users.adapters.conftest import Backend
from cmh.users.domain.audit import AuditAction, AuditEntry
from cmh.users.domain.display_name import DisplayName
from cmh.users.domain.email import Email
from cmh.users.domain.errors import EmailTaken
from cmh.users.domain.one_time_token import OneTimeToken, TokenPurpose
from cmh.users.domain.profile import Profile, SkillLevel
from cmh.users.domain.refresh_token import RefreshToken
from cmh.users.domain.tier import Tier
from cmh.users.domain.user import AccountStatus, User

T0 = datetime(2026, 3, 4, 5, 6, 7, 891_011, tzinfo=UTC)
TTL = timedelta(days=1)


def _user(user_id: str = "u-1", email: str = "ada@example.com") -> User:
    return User.register(
        user_id=user_id,
        email=Email.parse(email),
        display_name=DisplayName.parse("Ada Lovelace"),
        password_hash="$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA",
        now=T0,
    )


def _refresh(token_id: str, *, family: str | None = None, user_id: str = "u-1") -> RefreshToken:
    token = RefreshToken.start_family(
        token_id=token_id, user_id=user_id, token_hash=f"hash-{token_id}", now=T0, ttl=TTL
    )
    return dataclasses.replace(token, family_id=family or token_id)


async def _add_users(backend: Backend, *users: User) -> None:
    async with backend.transaction() as repos:
        for user in users:
            await repos.users.add(user)
        await repos.commit()


# Users --------------------------------------------------------------------------------


async def test_a_user_comes_back_exactly_as_stored(backend: Backend) -> None:
    user = _user()
    user.roles = frozenset({Role.LEARNER, Role.INSTRUCTOR})
    user.tier = Tier.TEAM
    user.email_verified = True
    user.profile = Profile(
        locale="pt-BR",
        timezone="America/Sao_Paulo",
        interests=("aws", "gcp"),
        skill_level=SkillLevel.INTERMEDIATE,
    )
    await _add_users(backend, user)

    async with backend.transaction() as repos:
        by_id = await repos.users.get("u-1")
        by_email = await repos.users.by_email(Email.parse("ADA@example.com"))

    assert by_id == user == by_email
    assert by_id is not None
    assert by_id.created_at.tzinfo is not None
    async with backend.transaction() as repos:
        assert await repos.users.get("u-2") is None
        assert await repos.users.by_email(Email.parse("grace@example.com")) is None


async def test_an_email_has_one_account(backend: Backend) -> None:
    await _add_users(backend, _user())
    async with backend.transaction() as repos:
        with pytest.raises(EmailTaken):
            await repos.users.add(_user(user_id="u-2"))


async def test_changes_count_once_saved(backend: Backend) -> None:
    await _add_users(backend, _user())
    async with backend.transaction() as repos:
        user = await repos.users.get("u-1")
        assert user is not None
        user.change_tier(Tier.PRO, T0 + TTL)
        unsaved = await repos.users.get("u-1")
        assert unsaved is not None
        assert unsaved.tier is Tier.FREE
        await repos.users.save(user)
        await repos.commit()
    async with backend.transaction() as repos:
        saved = await repos.users.get("u-1")
    assert saved is not None
    assert saved.tier is Tier.PRO
    assert saved.updated_at == T0 + TTL


async def test_erasure_frees_the_address(backend: Backend) -> None:
    await _add_users(backend, _user())
    async with backend.transaction() as repos:
        user = await repos.users.get("u-1")
        assert user is not None
        user.erase(T0)
        await repos.users.save(user)
        await repos.users.add(_user(user_id="u-2"))
        await repos.commit()
    async with backend.transaction() as repos:
        erased = await repos.users.get("u-1")
        current = await repos.users.by_email(Email.parse("ada@example.com"))
    assert erased is not None
    assert erased.status is AccountStatus.ERASED
    assert erased.password_hash is None
    assert current is not None
    assert current.id == "u-2"


async def test_saving_a_user_never_added_fails(backend: Backend) -> None:
    async with backend.transaction() as repos:
        with pytest.raises(KeyError):
            await repos.users.save(_user())


async def test_pages_follow_id_order(backend: Backend) -> None:
    ids = ["b", "a", "C", "c-2", "c-10"]
    await _add_users(backend, *(_user(user_id=i, email=f"{i}@example.com") for i in ids))
    async with backend.transaction() as repos:
        first = await repos.users.list_page(after_id=None, limit=2)
        rest = await repos.users.list_page(after_id=first[-1].id, limit=10)
    assert [u.id for u in first + rest] == sorted(ids)


# Refresh tokens -----------------------------------------------------------------------


async def test_a_refresh_token_is_found_by_its_hash(backend: Backend) -> None:
    await _add_users(backend, _user())
    token = _refresh("r-1")
    async with backend.transaction() as repos:
        await repos.refresh_tokens.add(token)
        await repos.commit()
    async with backend.transaction() as repos:
        assert await repos.refresh_tokens.by_hash("hash-r-1") == token
        assert await repos.refresh_tokens.by_hash("hash-unknown") is None


async def test_a_token_is_replaced_once(backend: Backend) -> None:
    await _add_users(backend, _user())
    async with backend.transaction() as repos:
        await repos.refresh_tokens.add(_refresh("r-1"))
        await repos.commit()

    async with backend.transaction() as repos:
        first = await repos.refresh_tokens.by_hash("hash-r-1")
        second = await repos.refresh_tokens.by_hash("hash-r-1")
    assert first is not None
    assert second is not None
    later = T0 + timedelta(minutes=1)
    async with backend.transaction() as repos:
        assert await repos.refresh_tokens.replace(
            first, first.rotate(token_id="r-2", token_hash="hash-r-2", now=later, ttl=TTL)
        )
        await repos.commit()
    async with backend.transaction() as repos:
        assert not await repos.refresh_tokens.replace(
            second, second.rotate(token_id="r-3", token_hash="hash-r-3", now=later, ttl=TTL)
        )
        await repos.commit()

    async with backend.transaction() as repos:
        stored = await repos.refresh_tokens.by_hash("hash-r-1")
        successor = await repos.refresh_tokens.by_hash("hash-r-2")
        assert await repos.refresh_tokens.by_hash("hash-r-3") is None
    assert stored is not None
    assert stored.replaced_by == "r-2"
    assert stored.rotated_at == later
    assert successor is not None
    assert successor.family_id == "r-1"


async def test_revocation_by_family_and_by_user(backend: Backend) -> None:
    await _add_users(backend, _user(), _user(user_id="u-2", email="grace@example.com"))
    async with backend.transaction() as repos:
        for token in (
            _refresh("a-1"),
            _refresh("a-2", family="a-1"),
            _refresh("b-1"),
            _refresh("g-1", user_id="u-2"),
        ):
            await repos.refresh_tokens.add(token)
        await repos.commit()

    async with backend.transaction() as repos:
        await repos.refresh_tokens.revoke_family("a-1", T0)
        await repos.commit()
    async with backend.transaction() as repos:
        revoked = {
            t.id for t in await repos.refresh_tokens.list_of("u-1") if t.revoked_at is not None
        }
    assert revoked == {"a-1", "a-2"}

    async with backend.transaction() as repos:
        await repos.refresh_tokens.revoke_all_of("u-1", T0 + TTL)
        await repos.commit()
    async with backend.transaction() as repos:
        mine = await repos.refresh_tokens.list_of("u-1")
        grace = await repos.refresh_tokens.list_of("u-2")
        unusable = await repos.refresh_tokens.by_hash("hash-a-1")
    assert [t.id for t in mine] == ["a-1", "a-2", "b-1"]
    assert all(t.revoked_at is not None for t in mine)
    assert next(t for t in mine if t.id == "a-1").revoked_at == T0  # first revocation kept
    assert grace[0].revoked_at is None
    assert unusable is not None
    async with backend.transaction() as repos:
        assert not await repos.refresh_tokens.replace(
            unusable, dataclasses.replace(_refresh("a-3", family="a-1"))
        )


# One-time tokens ----------------------------------------------------------------------


def _one_time(token_id: str, purpose: TokenPurpose, user_id: str = "u-1") -> OneTimeToken:
    return OneTimeToken.issue(
        token_id=token_id,
        user_id=user_id,
        purpose=purpose,
        token_hash=f"hash-{token_id}",
        now=T0,
        ttl=TTL,
    )


async def test_one_time_tokens_store_their_use(backend: Backend) -> None:
    await _add_users(backend, _user())
    async with backend.transaction() as repos:
        await repos.one_time_tokens.add(_one_time("o-1", TokenPurpose.VERIFY_EMAIL))
        await repos.commit()
    async with backend.transaction() as repos:
        token = await repos.one_time_tokens.by_hash("hash-o-1")
        assert token is not None
        token.consume(TokenPurpose.VERIFY_EMAIL, T0)
        await repos.one_time_tokens.save(token)
        await repos.commit()
    async with backend.transaction() as repos:
        assert await repos.one_time_tokens.by_hash("hash-o-1") == token
        with pytest.raises(KeyError):
            await repos.one_time_tokens.save(_one_time("o-404", TokenPurpose.VERIFY_EMAIL))


async def test_discarding_one_time_tokens(backend: Backend) -> None:
    await _add_users(backend, _user())
    used = _one_time("used", TokenPurpose.RESET_PASSWORD)
    used.consume(TokenPurpose.RESET_PASSWORD, T0)
    async with backend.transaction() as repos:
        for token in (
            used,
            _one_time("pending", TokenPurpose.RESET_PASSWORD),
            _one_time("verify", TokenPurpose.VERIFY_EMAIL),
        ):
            await repos.one_time_tokens.add(token)
        await repos.commit()

    async with backend.transaction() as repos:
        await repos.one_time_tokens.discard_unused("u-1", TokenPurpose.RESET_PASSWORD)
        await repos.commit()
    async with backend.transaction() as repos:
        assert await repos.one_time_tokens.by_hash("hash-pending") is None
        assert await repos.one_time_tokens.by_hash("hash-used") is not None
        assert await repos.one_time_tokens.by_hash("hash-verify") is not None
        await repos.one_time_tokens.discard_all_of("u-1")
        await repos.commit()
    async with backend.transaction() as repos:
        assert await repos.one_time_tokens.by_hash("hash-used") is None
        assert await repos.one_time_tokens.by_hash("hash-verify") is None


# Audit log ----------------------------------------------------------------------------


async def test_audit_entries_come_back_in_recording_order(backend: Backend) -> None:
    entries = [
        AuditEntry(
            id="e-2",
            action=AuditAction.LOGIN_FAILED,
            at=T0,
            user_id="u-1",
            actor_id="u-1",
            detail={"reason": "wrong_password"},
        ),
        AuditEntry(
            id="e-10", action=AuditAction.LOGIN_SUCCEEDED, at=T0, user_id="u-1", actor_id="u-1"
        ),
        AuditEntry(
            id="e-1",
            action=AuditAction.LOGIN_FAILED,
            at=T0,
            user_id=None,
            actor_id=None,
            detail={"reason": "unknown_email"},
        ),
        AuditEntry(
            id="e-3",
            action=AuditAction.TIER_CHANGED,
            at=T0 + TTL,
            user_id="u-1",
            actor_id="service:payments",
            detail={"previous": "free", "tier": "pro"},
        ),
    ]
    async with backend.transaction() as repos:
        for entry in entries:
            await repos.audit_log.record(entry)
        await repos.commit()
    async with backend.transaction() as repos:
        assert await repos.audit_log.entries_of("u-1") == [entries[0], entries[1], entries[3]]
        assert await repos.audit_log.entries_of("u-2") == []


# Transactions -------------------------------------------------------------------------


class Boom(Exception):
    pass


async def test_a_write_without_commit_is_gone_when_the_unit_of_work_ends(
    backend: Backend,
) -> None:
    async with backend.transaction() as repos:
        await repos.users.add(_user())
        await repos.refresh_tokens.add(_refresh("r-1"))
        await repos.one_time_tokens.add(_one_time("o-1", TokenPurpose.VERIFY_EMAIL))
        await repos.audit_log.record(
            AuditEntry(id="e-1", action=AuditAction.REGISTERED, at=T0, user_id="u-1", actor_id=None)
        )
        # Read your own writes, as a database session does.
        assert await repos.users.by_email(Email.parse("ada@example.com")) is not None
        assert await repos.refresh_tokens.by_hash("hash-r-1") is not None
        assert await repos.one_time_tokens.by_hash("hash-o-1") is not None
        assert len(await repos.audit_log.entries_of("u-1")) == 1
    async with backend.transaction() as repos:
        assert await repos.users.get("u-1") is None
        assert await repos.users.list_page(after_id=None, limit=10) == []
        assert await repos.refresh_tokens.by_hash("hash-r-1") is None
        assert await repos.one_time_tokens.by_hash("hash-o-1") is None
        assert await repos.audit_log.entries_of("u-1") == []


async def test_a_rollback_drops_the_writes_and_keeps_what_was_committed(backend: Backend) -> None:
    await _add_users(backend, _user())
    async with backend.transaction() as repos:
        await repos.refresh_tokens.add(_refresh("r-1"))
        await repos.one_time_tokens.add(_one_time("o-1", TokenPurpose.RESET_PASSWORD))
        await repos.commit()

    async def failing_use_case() -> None:
        async with backend.transaction() as repos:
            user = await repos.users.get("u-1")
            assert user is not None
            user.change_tier(Tier.PRO, T0 + TTL)
            await repos.users.save(user)
            await repos.users.add(_user(user_id="u-2", email="grace@example.com"))
            await repos.refresh_tokens.revoke_all_of("u-1", T0)
            await repos.one_time_tokens.discard_all_of("u-1")
            raise Boom

    with pytest.raises(Boom):
        await failing_use_case()
    async with backend.transaction() as repos:
        kept = await repos.users.get("u-1")
        assert kept is not None
        assert kept.tier is Tier.FREE
        assert await repos.users.get("u-2") is None
        token = await repos.refresh_tokens.by_hash("hash-r-1")
        assert token is not None
        assert token.revoked_at is None
        assert await repos.one_time_tokens.by_hash("hash-o-1") is not None
