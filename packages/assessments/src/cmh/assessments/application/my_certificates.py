"""The signed-in learner's certificates."""

from __future__ import annotations

from cmh.assessments.application.ports import CertificateRepository, PublicLinks
from cmh.assessments.application.views import CertificateView, certificate_view
from cmh.kernel.auth.principal import Principal


class MyCertificates:
    def __init__(self, certificates: CertificateRepository, links: PublicLinks) -> None:
        self._certificates = certificates
        self._links = links

    async def execute(self, principal: Principal) -> list[CertificateView]:
        return [
            certificate_view(c, self._links.verify_url(c.code))
            for c in await self._certificates.of_learner(principal.user_id)
        ]
