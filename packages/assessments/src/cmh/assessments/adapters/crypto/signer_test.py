from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cmh.assessments.adapters.crypto.signer import (
    Ed25519CredentialSigner,
    base58btc,
    from_base58btc,
    public_jwk,
)
from cmh.assessments.application.credential import unsigned_credential

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ISSUER = "https://cloudmastershub.example"


def signer(
    key: Ed25519PrivateKey, retired: list[dict[str, str]] | None = None
) -> Ed25519CredentialSigner:
    return Ed25519CredentialSigner(key, issuer_url=ISSUER, retired=retired or [], now=lambda: NOW)


def credential() -> dict[str, Any]:
    return unsigned_credential(
        certificate_id="cert-1",
        issuer_url=ISSUER,
        verify_url=f"{ISSUER}/api/v1/certificates/verify/CMH-1",
        learner_name="Ada Lovelace",
        course_id="c1",
        course_title="AWS Essentials",
        issued_at=NOW,
        lab_tasks=["tpl/logs-bucket"],
    )


def test_a_signed_credential_verifies_under_its_key_only() -> None:
    key = Ed25519PrivateKey.generate()
    signed = signer(key).sign(credential())
    assert signed["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    assert signed["proof"]["proofValue"].startswith("z")
    assert signer(key).verify(signed)
    assert not signer(Ed25519PrivateKey.generate()).verify(signed)


def test_tampering_with_any_field_fails_verification() -> None:
    one = signer(Ed25519PrivateKey.generate())
    signed = one.sign(credential())
    tampered_paths: list[tuple[Any, ...]] = [
        ("name",),
        ("validFrom",),
        ("credentialSubject", "name"),
        ("credentialSubject", "achievement", "name"),
        ("issuer", "id"),
        ("evidence", 0, "name"),
        ("proof", "created"),
        ("proof", "proofValue"),
    ]
    for path in tampered_paths:
        changed = copy.deepcopy(signed)
        target = changed
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = str(target[path[-1]])[:-1] + "X"
        assert not one.verify(changed), path
    added = copy.deepcopy(signed)
    added["credentialSubject"]["grade"] = "A+"
    assert not one.verify(added)
    assert one.verify(signed)


def test_a_retired_key_still_verifies_what_it_signed_and_no_other_key_is_trusted() -> None:
    old_key = Ed25519PrivateKey.generate()
    signed_before = signer(old_key).sign(credential())
    rotated = signer(Ed25519PrivateKey.generate(), retired=[public_jwk(old_key.public_key())])
    assert rotated.verify(signed_before)
    assert [k.get("status") for k in rotated.public_keys()] == [None, "retired"]
    stranger = signer(Ed25519PrivateKey.generate())
    assert not stranger.verify(signed_before)
    assert rotated.sign(credential())["proof"]["verificationMethod"].endswith(rotated.kid)


def test_base58_round_trips() -> None:
    for data in (b"", b"\0\0abc", bytes(range(64))):
        assert from_base58btc(base58btc(data)) == data
