from __future__ import annotations

import base64
import os
from datetime import UTC, datetime

import pytest

from cmh.kernel.errors import InvalidInput
from cmh.kernel.module import Profile
from cmh.kernel.settings import SettingsError, load_settings
from cmh.labs.adapters.crypto.settings import VaultSettings
from cmh.labs.adapters.crypto.vault import AesGcmCredentialsVault, credentials_vault
from cmh.labs.application.ports import CredentialsVault, LabCredentials

SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY"
TOKEN = "FwoGZXIvYXdzEXAMPLETOKEN"
CREDENTIALS = LabCredentials(
    access_key_id="ASIAEXAMPLE",
    secret_access_key=SECRET,
    session_token=TOKEN,
    expires_at=datetime(2026, 11, 30, 4, 5, tzinfo=UTC),
)


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def _vault(key: str) -> CredentialsVault:
    return credentials_vault(VaultSettings(key=key), Profile.DISTRIBUTED)


async def test_sealed_credentials_open_again_whole() -> None:
    vault = _vault(_key())

    sealed = await vault.seal("s-1", CREDENTIALS)

    assert SECRET.encode() not in sealed
    assert TOKEN.encode() not in sealed
    assert await vault.open("s-1", sealed) == CREDENTIALS


async def test_sealing_twice_gives_different_bytes() -> None:
    vault = _vault(_key())

    assert await vault.seal("s-1", CREDENTIALS) != await vault.seal("s-1", CREDENTIALS)


@pytest.mark.parametrize("position", [0, 5, 20, -1])
async def test_an_altered_byte_is_refused(position: int) -> None:
    vault = _vault(_key())
    sealed = bytearray(await vault.seal("s-1", CREDENTIALS))
    sealed[position] ^= 0x01

    with pytest.raises(InvalidInput) as error:
        await vault.open("s-1", bytes(sealed))
    assert error.value.code == "credentials_sealed"


async def test_a_truncated_value_is_refused() -> None:
    vault = _vault(_key())
    sealed = await vault.seal("s-1", CREDENTIALS)

    for length in (0, 1, 13, len(sealed) - 1):
        with pytest.raises(InvalidInput):
            await vault.open("s-1", sealed[:length])


async def test_another_key_cannot_open() -> None:
    sealed = await _vault(_key()).seal("s-1", CREDENTIALS)

    with pytest.raises(InvalidInput):
        await _vault(_key()).open("s-1", sealed)


async def test_credentials_sealed_for_one_session_do_not_open_for_another() -> None:
    vault = _vault(_key())
    sealed = await vault.seal("s-1", CREDENTIALS)

    with pytest.raises(InvalidInput):
        await vault.open("s-2", sealed)


def test_neither_the_key_nor_the_secrets_show_in_repr_or_str() -> None:
    key = _key()
    settings = load_settings(VaultSettings, {"CMH_KEY": key})
    vault = credentials_vault(settings, Profile.DISTRIBUTED)

    for shown in (repr(settings), str(settings), repr(vault), str(vault)):
        assert key not in shown
    for shown in (repr(CREDENTIALS), str(CREDENTIALS)):
        assert SECRET not in shown
        assert TOKEN not in shown


def test_the_distributed_profile_refuses_to_start_without_a_key() -> None:
    with pytest.raises(SettingsError, match="CMH_LABS__VAULT__KEY"):
        credentials_vault(VaultSettings(), Profile.DISTRIBUTED)


@pytest.mark.parametrize(
    "key",
    [
        base64.b64encode(os.urandom(16)).decode(),  # AES-128 is not what it is configured for
        "not base64 at all!",
    ],
)
def test_a_key_that_is_not_32_bytes_of_base64_is_refused(key: str) -> None:
    with pytest.raises(SettingsError, match="CMH_LABS__VAULT__KEY"):
        credentials_vault(VaultSettings(key=key), Profile.DISTRIBUTED)


def test_a_url_safe_base64_key_is_accepted() -> None:
    raw = b"\xfb\xff" * 16  # '+' and '/' in standard base64
    key = base64.urlsafe_b64encode(raw).decode()

    assert isinstance(
        credentials_vault(VaultSettings(key=key), Profile.DISTRIBUTED), AesGcmCredentialsVault
    )


async def test_the_embedded_profile_starts_without_a_key_and_keeps_its_own() -> None:
    vault = credentials_vault(VaultSettings(), Profile.EMBEDDED)
    sealed = await vault.seal("s-1", CREDENTIALS)

    assert await vault.open("s-1", sealed) == CREDENTIALS
    with pytest.raises(InvalidInput):
        await credentials_vault(VaultSettings(), Profile.EMBEDDED).open("s-1", sealed)
