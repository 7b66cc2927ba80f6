"""PostgreSQL over TLS verified as verify-full: the engine's connections are encrypted
when the server's certificate chains to ``ssl_ca_file`` (infra/local's CA), and refused
when it does not."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest
import trustme
from sqlalchemy import text

from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.engine import make_engine
from cmh_testing.kernel.servers import postgres_url, server_url

pytestmark = pytest.mark.integration

ENCRYPTED = text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")


async def test_connections_are_encrypted_and_verified_against_the_ca() -> None:
    ca_file = server_url("CMH_TEST_POSTGRES_CA_FILE")
    engine = make_engine(DatabaseSettings(url=postgres_url(), pool_size=1, ssl_ca_file=ca_file))
    try:
        async with engine.connect() as connection:
            assert await connection.scalar(ENCRYPTED) is True
    finally:
        await engine.dispose()


async def test_a_server_certificate_of_another_ca_is_refused(tmp_path: Path) -> None:
    server_url("CMH_TEST_POSTGRES_CA_FILE")  # the server serves TLS at all
    stranger = tmp_path / "another-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(stranger))
    engine = make_engine(
        DatabaseSettings(url=postgres_url(), pool_size=1, ssl_ca_file=str(stranger))
    )
    try:
        with pytest.raises(ssl.SSLCertVerificationError):
            async with engine.connect():
                pass
    finally:
        await engine.dispose()
