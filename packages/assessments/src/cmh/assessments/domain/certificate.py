"""A Certificate: earned when the learner completed the course and passed its final exam
(when it has one). Issued once per learner and course; an admin may revoke it with a
reason, after which verification says revoked. Its credential (the signed JSON an
employer checks offline) is made at issue and never changes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from cmh.assessments.domain.errors import AlreadyRevoked
from cmh.assessments.domain.events import CertificateIssued, CertificateRevoked
from cmh.kernel.domain_events import recorded_events

ERASED_NAME = "(name withheld)"


class CertificateStatus(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"


@dataclass
class Certificate:
    id: str
    code: str
    user_id: str
    course_id: str
    course_title: str
    learner_name: str
    issued_at: datetime
    verify_url: str
    lab_tasks: tuple[str, ...]
    credential: dict[str, Any]
    status: CertificateStatus = CertificateStatus.VALID
    revoked_at: datetime | None = None
    revocation_reason: str | None = None
    version: int = 0
    events: list[Any] = recorded_events()

    @classmethod
    def issue(
        cls,
        certificate_id: str,
        *,
        code: str,
        user_id: str,
        course_id: str,
        course_title: str,
        learner_name: str,
        verify_url: str,
        lab_tasks: Sequence[str],
        credential: dict[str, Any],
        now: datetime,
    ) -> Certificate:
        certificate = cls(
            id=certificate_id,
            code=code,
            user_id=user_id,
            course_id=course_id,
            course_title=course_title,
            learner_name=learner_name,
            issued_at=now,
            verify_url=verify_url,
            lab_tasks=tuple(lab_tasks),
            credential=credential,
        )
        certificate.events.append(
            CertificateIssued(certificate_id, user_id, course_id, code, verify_url, now)
        )
        return certificate

    def revoke(self, reason: str, now: datetime) -> None:
        if self.status is CertificateStatus.REVOKED:
            raise AlreadyRevoked(f"certificate {self.id} is revoked")
        self.status = CertificateStatus.REVOKED
        self.revoked_at = now
        self.revocation_reason = reason
        self.events.append(
            CertificateRevoked(
                self.id, self.user_id, self.course_id, self.code, self.verify_url, reason, now
            )
        )

    def anonymise(self) -> None:
        """The public page stops naming the person; the signed credential (which names
        them) is no longer shown."""
        self.learner_name = ERASED_NAME
        self.user_id = f"erased:{self.id}"
        self.credential = {}


def earned(*, course_completed: bool, has_exam: bool, exam_passed: bool) -> bool:
    return course_completed and (exam_passed or not has_exam)
