"""Which X-Forwarded-For a deployable's server believes: nobody's by default (the edge),
only its configured proxy's otherwise, and then only what that proxy appended."""

from __future__ import annotations

import importlib.util
from typing import Any

import httpx
import pytest
from litestar import Litestar, Request, get

from cmh.kernel.settings import HttpSettings
from cmh.kernel.web.serving import client_address, uvicorn_config
from cmh_testing.kernel.serving import free_port, running


@get("/whoami")
async def whoami(request: Request[Any, Any, Any]) -> dict[str, str]:
    return {"client": client_address(request.scope), "scheme": request.scope["scheme"]}


APP = Litestar([whoami])


async def _seen(http: HttpSettings, headers: dict[str, str]) -> dict[str, str]:
    config = uvicorn_config(APP, http, port=free_port())
    async with running(config) as base, httpx.AsyncClient(base_url=base) as client:
        seen: dict[str, str] = (await client.get("/whoami", headers=headers)).json()
        return seen


async def test_at_the_edge_a_clients_forwarded_headers_are_ignored() -> None:
    # uvicorn's own default would believe these from 127.0.0.1.
    seen = await _seen(
        HttpSettings(), {"x-forwarded-for": "203.0.113.9", "x-forwarded-proto": "https"}
    )
    assert seen == {"client": "127.0.0.1", "scheme": "http"}


async def test_behind_the_gateway_its_forwarded_for_names_the_client() -> None:
    behind = HttpSettings(forwarded_allow_ips="127.0.0.1")
    # The gateway appends the address it saw; what the client put before it is not believed.
    seen = await _seen(behind, {"x-forwarded-for": "203.0.113.9, 198.51.100.7"})
    assert seen["client"] == "198.51.100.7"


async def test_forwarded_headers_from_a_peer_that_is_not_the_proxy_are_ignored() -> None:
    elsewhere = HttpSettings(forwarded_allow_ips="10.20.30.40, 192.168.0.0/16")
    seen = await _seen(elsewhere, {"x-forwarded-for": "198.51.100.7"})
    assert seen["client"] == "127.0.0.1"


def test_proxy_trust_has_one_source() -> None:
    with pytest.raises(TypeError, match="forwarded_allow_ips"):
        uvicorn_config(APP, HttpSettings(), proxy_headers=True)
    assert uvicorn_config(APP, HttpSettings()).proxy_headers is False


@pytest.mark.parametrize("value", ["*", "gateway", "10.0.0.1/33"])
def test_a_trusted_proxy_must_be_an_address_or_network(value: str) -> None:
    with pytest.raises(ValueError, match="CMH_HTTP__FORWARDED_ALLOW_IPS"):
        HttpSettings(forwarded_allow_ips=value)


def test_deployables_run_on_uvloop_and_httptools() -> None:
    config = uvicorn_config(APP, HttpSettings())
    assert (config.loop, config.http) == ("uvloop", "httptools")
    config.load()  # fails when httptools is not installed
    assert config.http_protocol_class.__name__ == "HttpToolsProtocol"
    assert importlib.util.find_spec("uvloop") is not None
