"""Certificates: the learner's own (list, PDF), anyone's verification by code, the
credential keys, and revocation by an admin."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Response, get, post
from litestar.params import FromPath, JSONBody

from cmh.assessments.api.guards import ADMINS_ONLY, BEARER
from cmh.assessments.application.certificate_pdf import RenderCertificate
from cmh.assessments.application.my_certificates import MyCertificates
from cmh.assessments.application.revoke_certificate import Revocation, RevokeCertificate
from cmh.assessments.application.verify_certificate import CredentialKeys, VerifyCertificate
from cmh.assessments.application.views import (
    CertificateView,
    CredentialKeysView,
    VerificationView,
)
from cmh.assessments.domain.errors import CertificateNotFound
from cmh.kernel.auth.principal import Principal
from cmh.kernel.web.openapi_problems import problem_responses

PDF_SUFFIX = ".pdf"


class CertificatesController(Controller):
    path = "/api/v1/certificates"
    tags = ["certificates"]

    @get("/me", operation_id="certificates_mine", summary="My certificates", security=BEARER)
    @inject
    async def mine(
        self, principal: FromDishka[Principal], mine: FromDishka[MyCertificates]
    ) -> list[CertificateView]:
        return await mine.execute(principal)

    @get(
        "/verify/{code:str}",
        operation_id="certificates_verify",
        summary="Verify a certificate by its code (anyone, no sign-in): valid, revoked or "
        "unknown, with the signed credential",
    )
    @inject
    async def verify(
        self, code: FromPath[str], verify: FromDishka[VerifyCertificate]
    ) -> VerificationView:
        return await verify.execute(code)

    @get(
        "/keys",
        operation_id="certificates_keys",
        summary="The credential keys (JWKS, retired keys included) that verify credentials",
        cache=300,
    )
    @inject
    async def keys(self, keys: FromDishka[CredentialKeys]) -> CredentialKeysView:
        return await keys.execute()

    @get(
        "/{file_name:str}",
        operation_id="certificates_pdf",
        summary="A certificate as a PDF (`{id}.pdf`, its holder only)",
        security=BEARER,
        media_type="application/pdf",
    )
    @inject
    async def pdf(
        self,
        file_name: FromPath[str],
        principal: FromDishka[Principal],
        render: FromDishka[RenderCertificate],
    ) -> Response[bytes]:
        if not file_name.endswith(PDF_SUFFIX):
            raise CertificateNotFound(f"no certificate file {file_name}")
        document = await render.execute(principal, file_name.removesuffix(PDF_SUFFIX))
        return Response(
            document.content,
            media_type="application/pdf",
            headers={"content-disposition": f'attachment; filename="{document.filename}"'},
        )


class AdminCertificatesController(Controller):
    path = "/api/v1/admin/certificates"
    tags = ["certificates"]
    security = BEARER
    guards = [ADMINS_ONLY]

    @post(
        "/{certificate_id:str}/revoke",
        operation_id="certificates_revoke",
        status_code=200,
        responses=problem_responses(403, 409),
        summary="Revoke a certificate with a reason (admins)",
    )
    @inject
    async def revoke(
        self,
        certificate_id: FromPath[str],
        data: JSONBody[Revocation],
        principal: FromDishka[Principal],
        revoke: FromDishka[RevokeCertificate],
    ) -> CertificateView:
        return await revoke.execute(principal, certificate_id, data)
