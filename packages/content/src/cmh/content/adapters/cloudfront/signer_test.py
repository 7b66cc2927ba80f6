"""CloudFront canned-policy signed URLs, checked the way CloudFront checks them."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from cmh.content.adapters.cloudfront.signer import CloudFrontUrlSigner, load_rsa_private_key

EXPIRES = datetime(2026, 1, 1, 12, 5, tzinfo=UTC)


@pytest.fixture(scope="module")
def private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _cloudfront_b64decode(value: str) -> bytes:
    return base64.b64decode(value.replace("-", "+").replace("_", "=").replace("~", "/"))


def test_signed_url_verifies_against_the_canned_policy(private_key: rsa.RSAPrivateKey) -> None:
    signer = CloudFrontUrlSigner("d111.cloudfront.net", "K2JCJMDEHXQW5F", private_key)
    url = signer.sign("assets/a1/hls/1080p/index.m3u8", expires_at=EXPIRES)
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert set(query) == {"Expires", "Signature", "Key-Pair-Id"}
    assert query["Key-Pair-Id"] == "K2JCJMDEHXQW5F"
    assert query["Expires"] == str(int(EXPIRES.timestamp()))
    resource = f"{parts.scheme}://{parts.netloc}{parts.path}"
    assert resource == "https://d111.cloudfront.net/assets/a1/hls/1080p/index.m3u8"
    # The canned policy as AWS documents it: compact JSON, in this key order.
    condition = {"DateLessThan": {"AWS:EpochTime": int(query["Expires"])}}
    policy = json.dumps(
        {"Statement": [{"Resource": resource, "Condition": condition}]}, separators=(",", ":")
    )
    private_key.public_key().verify(
        _cloudfront_b64decode(query["Signature"]),
        policy.encode(),
        padding.PKCS1v15(),
        hashes.SHA1(),  # noqa: S303
    )
    other_expiry = policy.replace(query["Expires"], str(int(EXPIRES.timestamp()) + 3600))
    with pytest.raises(InvalidSignature):
        private_key.public_key().verify(
            _cloudfront_b64decode(query["Signature"]),
            other_expiry.encode(),
            padding.PKCS1v15(),
            hashes.SHA1(),  # noqa: S303
        )


def test_key_loads_from_pem_and_non_rsa_keys_are_refused(private_key: rsa.RSAPrivateKey) -> None:
    pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    assert load_rsa_private_key(pem).key_size == 2048
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    ed_pem = (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    with pytest.raises(ValueError, match="RSA"):
        load_rsa_private_key(ed_pem)
