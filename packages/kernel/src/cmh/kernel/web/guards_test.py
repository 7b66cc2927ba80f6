"""``requires_role`` decides before the body is read: the wrong role is 403 whatever the
body says, a missing token 401, the right role reaches the handler's own validation."""

from __future__ import annotations

from collections.abc import AsyncIterator

import msgspec
import pytest
from dishka import Provider, Scope, make_async_container, provide
from dishka.integrations.litestar import FromDishka, LitestarProvider, inject
from litestar import Litestar, post, put
from litestar.params import JSONBody
from litestar.testing import AsyncTestClient

from cmh.kernel.auth.authenticator import Authenticator
from cmh.kernel.auth.principal import Principal, Role
from cmh.kernel.errors import Unauthenticated
from cmh.kernel.settings import HttpSettings
from cmh.kernel.web.app import create_http_app
from cmh.kernel.web.auth import PrincipalProvider
from cmh.kernel.web.guards import requires_role


class ThingCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: str


class TokenIsRole:
    """The bearer token names the caller's role: enough to tell callers apart here."""

    async def authenticate(self, token: str) -> Principal:
        if token not in {"learner", "instructor", "admin", "service"}:
            raise Unauthenticated("bad token", code="invalid_token")
        return Principal(user_id=f"{token}-1", roles=frozenset({token}))


class AuthProvider(Provider):
    scope = Scope.APP

    @provide
    def authenticator(self) -> Authenticator:
        return TokenIsRole()


@post(
    "/things",
    guards=[requires_role(Role.INSTRUCTOR, Role.ADMIN, code="not_an_author")],
)
@inject
async def create(data: JSONBody[ThingCreate], principal: FromDishka[Principal]) -> dict[str, str]:
    return {"name": data.name, "by": principal.user_id}


class TierChange(msgspec.Struct, forbid_unknown_fields=True):
    tier: str


@put("/tiers", guards=[requires_role("service", Role.ADMIN, code="service_only")])
async def change_tier(data: JSONBody[TierChange]) -> dict[str, str]:
    return {"tier": data.tier}


@pytest.fixture
async def client() -> AsyncIterator[AsyncTestClient[Litestar]]:
    container = make_async_container(AuthProvider(), PrincipalProvider(), LitestarProvider())
    app = create_http_app(
        container=container,
        route_handlers=[create, change_tier],
        title="Guards",
        http=HttpSettings(),
    )
    async with AsyncTestClient(app) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def test_the_wrong_role_is_403_before_the_body_is_validated(
    client: AsyncTestClient[Litestar],
) -> None:
    for body in ({"name": "x", "unknown": 1}, {"name": 42}, {}):
        answer = await client.post("/things", json=body, headers=bearer("learner"))
        assert answer.status_code == 403, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.json()["code"] == "not_an_author"
    malformed = await client.post(
        "/things",
        content=b"{not json",
        headers={**bearer("learner"), "content-type": "application/json"},
    )
    assert malformed.status_code == 403


async def test_no_or_a_bad_token_is_401(client: AsyncTestClient[Litestar]) -> None:
    assert (await client.post("/things", json={"unknown": 1})).status_code == 401
    forged = await client.post("/things", json={"unknown": 1}, headers=bearer("forged"))
    assert (forged.status_code, forged.json()["code"]) == (401, "invalid_token")


async def test_any_listed_role_passes_to_the_handlers_own_validation(
    client: AsyncTestClient[Litestar],
) -> None:
    for role in ("instructor", "admin"):
        made = await client.post("/things", json={"name": "x"}, headers=bearer(role))
        assert made.json() == {"name": "x", "by": f"{role}-1"}
        unknown = await client.post("/things", json={"unknown": 1}, headers=bearer(role))
        assert unknown.status_code == 422


async def test_a_role_outside_the_enum_counts_too(client: AsyncTestClient[Litestar]) -> None:
    served = await client.put("/tiers", json={"tier": "pro"}, headers=bearer("service"))
    assert served.status_code == 200, served.text
    refused = await client.put("/tiers", json={"unknown": 1}, headers=bearer("instructor"))
    assert (refused.status_code, refused.json()["code"]) == (403, "service_only")
    assert refused.json()["detail"] == "only services and admins may do this"


def test_a_guard_names_at_least_one_role() -> None:
    with pytest.raises(ValueError, match="at least one role"):
        requires_role()
