"""CloudFront signed URLs with a canned policy (resource + expiry), as AWS documents:
RSA-SHA1 (PKCS#1 v1.5) over the policy, signed with the key of a CloudFront key group."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from botocore.signers import CloudFrontSigner
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey


def load_rsa_private_key(pem: str) -> RSAPrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, RSAPrivateKey):
        raise ValueError("the CloudFront signing key must be an RSA private key (PEM)")
    return key


class CloudFrontUrlSigner:
    def __init__(self, domain: str, key_pair_id: str, private_key: RSAPrivateKey) -> None:
        if not domain or not key_pair_id:
            raise ValueError("CloudFront signing needs a distribution domain and a key pair id")
        self._domain = domain.removeprefix("https://").rstrip("/")

        def rsa_sha1(message: bytes) -> bytes:
            # SHA-1 is what CloudFront's canned-policy signatures are defined with.
            return private_key.sign(message, padding.PKCS1v15(), hashes.SHA1())  # noqa: S303

        self._signer = CloudFrontSigner(key_pair_id, rsa_sha1)

    def sign(self, key: str, *, expires_at: datetime) -> str:
        url = f"https://{self._domain}/{quote(key)}"
        return str(self._signer.generate_presigned_url(url, date_less_than=expires_at))
