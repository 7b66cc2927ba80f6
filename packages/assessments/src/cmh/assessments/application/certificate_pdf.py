"""A certificate as a PDF, for the learner who holds it (others: 404)."""

from __future__ import annotations

from cmh.assessments.application.ports import (
    CertificateRenderer,
    CertificateRepository,
    PublicLinks,
)
from cmh.assessments.application.views import CertificatePdf
from cmh.assessments.domain.errors import CertificateNotFound
from cmh.kernel.auth.principal import Principal


class RenderCertificate:
    def __init__(
        self,
        certificates: CertificateRepository,
        renderer: CertificateRenderer,
        links: PublicLinks,
    ) -> None:
        self._certificates = certificates
        self._renderer = renderer
        self._links = links

    async def execute(self, principal: Principal, certificate_id: str) -> CertificatePdf:
        certificate = await self._certificates.get(certificate_id)
        if certificate is None or certificate.user_id != principal.user_id:
            raise CertificateNotFound(f"certificate {certificate_id} not found")
        content = self._renderer.render(
            learner_name=certificate.learner_name,
            course_title=certificate.course_title,
            issued_at=certificate.issued_at,
            code=certificate.code,
            verify_url=self._links.verify_url(certificate.code),
        )
        return CertificatePdf(filename=f"certificate-{certificate.code}.pdf", content=content)
