"""A deployable given a certificate serves HTTPS only: a plain HTTP request on its port
gets no answer, a client that does not trust the certificate's CA refuses it, one that
trusts the CA is answered."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import trustme
from litestar import Litestar, get

from cmh.kernel.settings import HttpSettings
from cmh.kernel.web.serving import uvicorn_config
from cmh_testing.kernel.serving import free_port, running


@get("/ping", sync_to_thread=False)
def ping() -> dict[str, str]:
    return {"pong": "yes"}


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def certificate_files(authority: trustme.CA, tmp_path: Path) -> tuple[str, str]:
    issued = authority.issue_cert("127.0.0.1", "localhost")
    cert, key = tmp_path / "server.pem", tmp_path / "server-key.pem"
    issued.private_key_and_cert_chain_pem.write_to_path(str(cert))
    issued.private_key_pem.write_to_path(str(key))
    return str(cert), str(key)


@pytest.fixture
async def https_port(certificate_files: tuple[str, str]) -> AsyncIterator[int]:
    cert, key = certificate_files
    port = free_port()
    http = HttpSettings(port=port, tls_cert_file=cert, tls_key_file=key)
    async with running(uvicorn_config(Litestar([ping]), http)):
        yield port


def _trusting(authority: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    authority.configure_trust(context)
    return context


async def test_a_client_trusting_the_ca_is_answered(https_port: int, authority: trustme.CA) -> None:
    async with httpx.AsyncClient(verify=_trusting(authority)) as client:
        answer = await client.get(f"https://127.0.0.1:{https_port}/ping")

    assert answer.json() == {"pong": "yes"}


async def test_plain_http_gets_no_answer(https_port: int) -> None:
    async with httpx.AsyncClient() as client:
        with pytest.raises(httpx.TransportError):
            await client.get(f"http://127.0.0.1:{https_port}/ping")


async def test_a_client_that_does_not_know_the_ca_refuses_the_server(https_port: int) -> None:
    # The system's authorities only (trust_env off: no SSL_CERT_FILE from the shell).
    async with httpx.AsyncClient(trust_env=False) as client:
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            await client.get(f"https://127.0.0.1:{https_port}/ping")


async def test_a_client_refuses_a_certificate_of_another_ca(https_port: int) -> None:
    async with httpx.AsyncClient(verify=_trusting(trustme.CA())) as client:
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            await client.get(f"https://127.0.0.1:{https_port}/ping")


def test_a_certificate_needs_its_key() -> None:
    with pytest.raises(ValueError, match="TLS_KEY_FILE"):
        HttpSettings(tls_cert_file="/etc/server.pem")
