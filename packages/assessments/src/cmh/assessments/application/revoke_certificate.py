"""An admin revokes a certificate with a reason; verification says revoked from now on."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from cmh.assessments.application.access import ensure_admin
from cmh.assessments.application.ports import CertificateRepository, PublicLinks
from cmh.assessments.application.views import CertificateView, certificate_view
from cmh.assessments.domain.errors import CertificateNotFound
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock
from cmh.kernel.uow import UnitOfWork


class Revocation(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[str, Meta(min_length=3, max_length=500)]


class RevokeCertificate:
    def __init__(
        self,
        certificates: CertificateRepository,
        links: PublicLinks,
        uow: UnitOfWork,
        clock: Clock,
    ) -> None:
        self._certificates = certificates
        self._links = links
        self._uow = uow
        self._clock = clock

    async def execute(
        self, principal: Principal, certificate_id: str, revocation: Revocation
    ) -> CertificateView:
        ensure_admin(principal)
        async with self._uow:
            certificate = await self._certificates.get(certificate_id)
            if certificate is None:
                raise CertificateNotFound(f"certificate {certificate_id} not found")
            certificate.revoke(revocation.reason, self._clock.now())
            await self._certificates.save(certificate)
            self._uow.track(certificate)
            await self._uow.commit()
        return certificate_view(certificate, self._links.verify_url(certificate.code))
