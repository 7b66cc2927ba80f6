"""The credential a certificate carries: an Open Badges 3.0 ``OpenBadgeCredential`` (a W3C
Verifiable Credential, data model 2.0), signed by assessments' credential keys so an
employer can check it offline. It lists the lab tasks the learner passed as evidence."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def unsigned_credential(
    *,
    certificate_id: str,
    issuer_url: str,
    verify_url: str,
    learner_name: str,
    course_id: str,
    course_title: str,
    issued_at: datetime,
    lab_tasks: Sequence[str],
) -> dict[str, Any]:
    issuer = issuer_url.rstrip("/")
    credential: dict[str, Any] = {
        "@context": CONTEXTS,
        "id": f"urn:uuid:{certificate_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "CloudMastersHub"},
        "validFrom": issued_at.isoformat(),
        "name": f"Certificate of completion: {course_title}",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": learner_name,
            "achievement": {
                "id": f"{issuer}/api/v1/courses/{course_id}",
                "type": ["Achievement"],
                "name": course_title,
                "criteria": {
                    "narrative": "Completed every lesson of the course and passed its "
                    "assessments, graded on the platform's servers."
                },
            },
        },
        "evidence": [
            {"type": ["Evidence"], "name": f"Lab task passed: {task}"} for task in lab_tasks
        ],
        "url": verify_url,
    }
    return credential
