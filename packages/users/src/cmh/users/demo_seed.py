"""The demo accounts, in both profiles (the embedded platform's start and the distributed
profile's seed job): a learner (free tier), an instructor, an administrator and a pro
learner, each with its documented password, created through the same use cases the API
calls (so events, audit entries and rules apply).

Idempotent: an account already as described is left alone, and the run says so. An
account found different (a role, the tier, its password) is put back as described; a
production deployment does not run the demo seed at all."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from dishka import AsyncContainer

from cmh.kernel.auth.principal import Principal, Role
from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.errors import Conflict
from cmh.kernel.module import Progress
from cmh.users.application.admin_update_user import AdminUpdateUser
from cmh.users.application.change_tier import ChangeTier
from cmh.users.application.ensure_admin import EnsureAdmin
from cmh.users.application.ports import AccessTokens, PasswordHasher, UserRepository
from cmh.users.application.register_user import RegisterUser
from cmh.users.application.set_password import SetPassword
from cmh.users.domain.email import Email
from cmh.users.domain.user import User


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    display_name: str
    role: Role
    tier: str = "free"


DEMO_ACCOUNTS = (
    DemoAccount("learner@cloudmastershub.dev", "learn-the-cloud-42", "Lena Learner", Role.LEARNER),
    DemoAccount(
        "instructor@cloudmastershub.dev", "teach-the-cloud-42", "Ivan Instructor", Role.INSTRUCTOR
    ),
    DemoAccount("admin@cloudmastershub.dev", "admin-the-cloud-42", "Ada Admin", Role.ADMIN),
    # Can launch every seeded lab (the free learner, the beginner one).
    DemoAccount("pro@cloudmastershub.dev", "pro-the-cloud-42", "Pia Pro", Role.LEARNER, tier="pro"),
)


@dataclass(frozen=True)
class SeededAccounts:
    """The demo accounts' ids (``by_role``: the first account of each role) and what this
    run changed (``changed``: one line per change; empty when everything was in place)."""

    by_role: dict[Role, str]
    by_email: dict[str, str]
    changed: tuple[str, ...]


def _ignore(_line: str) -> None:
    return None


async def seed_demo_accounts(
    container: AsyncContainer, progress: Progress = _ignore
) -> SeededAccounts:
    """Creates the demo accounts that are missing and puts back what differs."""
    changed: list[str] = []
    admin_account = next(a for a in DEMO_ACCOUNTS if a.role is Role.ADMIN)
    by_role: dict[Role, str] = {}
    by_email: dict[str, str] = {}
    # The administrator first: it grants the instructor's role and the pro tier.
    ordered = (admin_account, *(a for a in DEMO_ACCOUNTS if a is not admin_account))
    for index, account in enumerate(ordered, start=1):
        progress(f"seeding demo accounts {index}/{len(DEMO_ACCOUNTS)}: {account.email}")
        before = len(changed)
        if account.role is Role.ADMIN:
            user = await _ensure_admin(container, account, changed)
        else:
            user = await _ensure_account(container, account, by_email, admin_account, changed)
        await _ensure_password(container, account, user, changed)
        if len(changed) == before:
            progress(f"demo account {account.email} already in place")
        by_role.setdefault(account.role, user.id)
        by_email[account.email] = user.id
    return SeededAccounts(by_role, by_email, tuple(changed))


async def _user(container: AsyncContainer, email: str) -> User | None:
    async with container() as request:
        users: UserRepository = await request.get(UserRepository)
        return await users.by_email(Email.parse(email))


async def _ensure_admin(
    container: AsyncContainer, account: DemoAccount, changed: list[str]
) -> User:
    existing = await _user(container, account.email)
    if existing is None or Role.ADMIN not in existing.roles:
        async with container() as request:
            await (await request.get(EnsureAdmin)).execute(
                email=account.email, password=account.password, display_name=account.display_name
            )
        done = "created" if existing is None else "granted"
        changed.append(f"{account.email}: administrator {done}")
    user = await _user(container, account.email)
    if user is None:
        raise RuntimeError(f"demo account {account.email} was not created")
    return user


async def _ensure_account(
    container: AsyncContainer,
    account: DemoAccount,
    by_email: dict[str, str],
    admin_account: DemoAccount,
    changed: list[str],
) -> User:
    user = await _user(container, account.email)
    if user is None:
        # Another seed run may register it meanwhile: then the account is read back below.
        async with container() as request:
            with contextlib.suppress(Conflict):
                await (await request.get(RegisterUser)).execute(
                    email=account.email,
                    password=account.password,
                    display_name=account.display_name,
                )
                changed.append(f"{account.email}: registered")
        user = await _user(container, account.email)
    if user is None:
        raise RuntimeError(f"demo account {account.email} was not created")
    acting_admin = Principal(user_id=by_email[admin_account.email], roles=frozenset({"admin"}))
    if account.role is Role.INSTRUCTOR and Role.INSTRUCTOR not in user.roles:
        async with container() as request:
            await (await request.get(AdminUpdateUser)).execute(
                acting_admin, user.id, roles=[Role.LEARNER.value, Role.INSTRUCTOR.value]
            )
        changed.append(f"{account.email}: instructor role granted")
    if user.tier.value != account.tier:
        async with container() as request:
            await (await request.get(ChangeTier)).execute(
                acting_admin, user.id, tier=account.tier, reason="demo account"
            )
        changed.append(f"{account.email}: tier {account.tier}")
    return user


async def _ensure_password(
    container: AsyncContainer, account: DemoAccount, user: User, changed: list[str]
) -> None:
    """The documented password logs the account in (an administrator bootstrapped with a
    generated one, say, answers to the demo one afterwards)."""
    async with container() as request:
        hasher = await request.get(PasswordHasher)
        if await hasher.verify(user.password_hash, account.password):
            return
    async with container() as request:
        await (await request.get(SetPassword)).execute(
            email=account.email, password=account.password
        )
    changed.append(f"{account.email}: password set to the documented one")


def demo_credentials() -> list[str]:
    """The lines both profiles print once seeded: one per demo account."""
    return [
        f"demo {account.role.value:<10} {account.email} / {account.password}"
        for account in DEMO_ACCOUNTS
    ]


async def demo_access_token(container: AsyncContainer, email: str) -> str:
    """A short-lived access token of the demo account ``email``, for seed steps that call
    other services as that account (the catalog asks content and labs with the demo
    instructor's own token). No session is opened: nothing is written."""
    async with container() as request:
        user = await (await request.get(UserRepository)).by_email(Email.parse(email))
        if user is None:
            raise RuntimeError(f"demo account {email} is not seeded")
        tokens: AccessTokens = await request.get(AccessTokens)
        token_id = (await request.get(IdGenerator)).new_id()
        now = (await request.get(Clock)).now()
        return tokens.issue_access(user.principal(token_id=token_id), now=now, token_id=token_id)
