"""Anyone (no sign-in) checks a verification code: valid, revoked or unknown, with the
signed credential and whether its proof holds under assessments' published keys."""

from __future__ import annotations

from cmh.assessments.application.ports import CertificateRepository, CredentialSigner
from cmh.assessments.application.views import CredentialKeysView, VerificationView


class VerifyCertificate:
    def __init__(self, certificates: CertificateRepository, signer: CredentialSigner) -> None:
        self._certificates = certificates
        self._signer = signer

    async def execute(self, code: str) -> VerificationView:
        certificate = await self._certificates.by_code(code.strip().upper())
        if certificate is None:
            return VerificationView(code=code, status="unknown")
        credential = certificate.credential or None
        return VerificationView(
            code=certificate.code,
            status=str(certificate.status),
            course_title=certificate.course_title,
            learner_name=certificate.learner_name,
            issued_at=certificate.issued_at,
            revoked_at=certificate.revoked_at,
            revocation_reason=certificate.revocation_reason,
            signature_valid=self._signer.verify(credential) if credential else None,
            credential=credential,
        )


class CredentialKeys:
    """The public keys of assessments' credentials (retired ones included)."""

    def __init__(self, signer: CredentialSigner) -> None:
        self._signer = signer

    async def execute(self) -> CredentialKeysView:
        return CredentialKeysView(keys=self._signer.public_keys())
