"""A fake service behind the gateway: a real Litestar app that echoes what reached it,
streams large bodies both ways, answers slowly on demand, publishes a JWKS and an
OpenAPI document, serves the dashboard's two reads, and echoes over a WebSocket."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import jwt
from litestar import Litestar, Request, Response, WebSocket, get, post, route, websocket
from litestar.exceptions import NotAuthorizedException
from litestar.params import FromPath, FromQuery
from litestar.response import Stream

from cmh.kernel.auth.tokens import SigningKey

CHUNK = 65_536


@dataclass
class FakeUpstream:
    name: str
    signing_key: SigningKey | None = None
    # The JWKS published (key rotation): the signing key alone unless set.
    published: list[SigningKey] | None = None
    jwks_fetches: int = 0
    ready: bool = True
    # Answers 500 on the echo routes while its readiness still passes (a broken instance).
    failing: bool = False
    # Answers 503 on the echo routes, as an instance does when a service it calls is away.
    dependency_away: bool = False
    api_hits: int = 0
    sockets_opened: int = 0
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    enrollments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def app(self) -> Litestar:
        return Litestar(
            route_handlers=_handlers(self),
            request_max_body_size=None,
            logging_config=None,
        )


def _caller(request: Request[Any, Any, Any]) -> str:
    token = request.headers.get("authorization", "").removeprefix("Bearer ")
    try:
        return str(jwt.decode(token, options={"verify_signature": False})["sub"])
    except jwt.PyJWTError as exc:
        raise NotAuthorizedException("no token") from exc


def _handlers(fake: FakeUpstream) -> list[Any]:
    @get("/health/ready", include_in_schema=False)
    async def ready() -> Response[dict[str, str]]:
        status = 200 if fake.ready else 503
        return Response({"status": "up" if fake.ready else "down"}, status_code=status)

    @route(
        "/api/v1/{rest:path}",
        http_method=["GET", "POST", "PUT", "PATCH", "DELETE"],
        include_in_schema=False,
        status_code=200,
    )
    async def echo(
        request: Request[Any, Any, Any], rest: FromPath[str]
    ) -> Response[dict[str, Any]]:
        fake.api_hits += 1
        body = await request.body()
        if fake.failing:
            return Response({"instance": fake.name, "error": "broken"}, status_code=500)
        if fake.dependency_away:
            return Response(
                {"instance": fake.name, "code": "dependency_unavailable"}, status_code=503
            )
        return Response(
            {
                "instance": fake.name,
                "method": request.method,
                "path": request.url.path,
                "raw_path": request.scope["raw_path"].decode("latin-1"),
                "query": request.url.query,
                "headers": dict(request.headers),
                "body_bytes": len(body),
            }
        )

    @get("/api/v1/lab/cookie", include_in_schema=False)
    async def cookie(session: FromQuery[str]) -> Response[dict[str, str]]:
        fake.api_hits += 1
        return Response({"set": session}, headers={"set-cookie": f"session={session}; Path=/"})

    @post("/api/v1/lab/upload", status_code=200)
    async def upload(request: Request[Any, Any, Any]) -> dict[str, int]:
        fake.api_hits += 1
        received = 0
        async for chunk in request.stream():
            received += len(chunk)
        return {"received": received}

    @get("/api/v1/lab/download", include_in_schema=False)
    async def download(size: FromQuery[int]) -> Stream:
        fake.api_hits += 1

        async def chunks() -> AsyncIterator[bytes]:
            block = b"x" * CHUNK
            left = size
            while left > 0:
                yield block[: min(CHUNK, left)]
                left -= CHUNK

        return Stream(chunks(), media_type="application/octet-stream")

    @get("/api/v1/lab/slow", include_in_schema=False)
    async def slow(seconds: FromQuery[float]) -> dict[str, str]:
        fake.api_hits += 1
        await asyncio.sleep(seconds)
        return {"status": "late"}

    @get("/api/v1/lab/cut", include_in_schema=False)
    async def cut() -> Response[bytes]:
        """Promises more than it sends: the server closes the connection mid-body."""
        fake.api_hits += 1
        return Response(b'{"partial":', headers={"content-length": "1000"})

    @get("/api/v1/lab/hop", include_in_schema=False)
    async def hop() -> Response[dict[str, str]]:
        fake.api_hits += 1
        return Response(
            {"status": "ok"},
            headers={
                "Connection": "x-upstream-hop",
                "X-Upstream-Hop": "1",
                "Keep-Alive": "timeout=5",
                "Proxy-Authenticate": "Basic",
                "X-End-To-End": "kept",
            },
        )

    @get("/.well-known/jwks.json")
    async def jwks() -> dict[str, Any]:
        fake.jwks_fetches += 1
        if fake.published is not None:
            return {"keys": [key.jwks()["keys"][0] for key in fake.published]}
        return fake.signing_key.jwks() if fake.signing_key else {"keys": []}

    @get("/api/v1/users/me")
    async def me(request: Request[Any, Any, Any]) -> dict[str, Any]:
        fake.api_hits += 1
        return fake.profiles[_caller(request)]

    @get("/api/v1/enrollments/me")
    async def my_enrollments(request: Request[Any, Any, Any]) -> dict[str, Any]:
        fake.api_hits += 1
        return {"items": fake.enrollments.get(_caller(request), [])}

    @get(f"/internal/v1/{fake.name}/secret")
    async def internal() -> dict[str, str]:
        return {"secret": "never routed"}

    @websocket("/api/v1/lab/socket")
    async def socket_echo(socket: WebSocket[Any, Any, Any]) -> None:
        """Accepts the first subprotocol offered, greets with what reached it, echoes
        text and bytes, and closes with the code a ``close <code>`` message names."""
        fake.sockets_opened += 1
        offered = list(socket.scope.get("subprotocols") or [])
        await socket.accept(subprotocols=offered[0] if offered else None)
        forwarded = [v.decode() for k, v in socket.scope["headers"] if k == b"x-forwarded-for"]
        await socket.send_json(
            {
                "upstream": fake.name,
                "offered": offered,
                "query": socket.scope["query_string"].decode(),
                "x_forwarded_for": forwarded,
            }
        )
        while True:
            message: Any = await socket.receive()
            if message["type"] == "websocket.disconnect":
                return
            text: str | None = message.get("text")
            if text is not None and text.startswith("close "):
                await socket.close(code=int(text.split()[1]), reason="asked to")
                return
            if text is not None:
                await socket.send_text(f"echo: {text}")
            elif message.get("bytes") is not None:
                await socket.send_bytes(message["bytes"][::-1])

    return [
        ready,
        echo,
        upload,
        download,
        cut,
        slow,
        hop,
        cookie,
        jwks,
        me,
        my_enrollments,
        internal,
        socket_echo,
    ]
