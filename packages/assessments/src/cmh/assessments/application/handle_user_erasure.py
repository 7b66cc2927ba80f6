"""An erased user: attempts anonymised (their marks stay in the quizzes' statistics),
certificates no longer name them, the records kept about them dropped."""

from __future__ import annotations

from cmh.assessments.application.ports import (
    AttemptRepository,
    CertificateRepository,
    LearnerRecords,
)
from cmh.kernel.uow import UnitOfWork


class HandleUserErasure:
    def __init__(
        self,
        attempts: AttemptRepository,
        certificates: CertificateRepository,
        records: LearnerRecords,
        uow: UnitOfWork,
    ) -> None:
        self._attempts = attempts
        self._certificates = certificates
        self._records = records
        self._uow = uow

    async def execute(self, user_id: str) -> None:
        async with self._uow:
            for attempt in await self._attempts.of_user(user_id):
                attempt.anonymise()
                await self._attempts.save(attempt)
            for certificate in await self._certificates.of_learner(user_id):
                certificate.anonymise()
                await self._certificates.save(certificate)
            await self._records.forget(user_id)
            await self._uow.commit()
