"""The Assessments HTTP API: hand ``ASSESSMENTS_ROUTES`` to the kernel's ``create_http_app``."""

from __future__ import annotations

from cmh.assessments.api.attempts import (
    AttemptsController,
    LessonQuizController,
    StartAttemptController,
)
from cmh.assessments.api.authoring import QuestionsController, QuizzesController
from cmh.assessments.api.certificates import AdminCertificatesController, CertificatesController

ASSESSMENTS_ROUTES = [
    QuestionsController,
    QuizzesController,
    LessonQuizController,
    StartAttemptController,
    AttemptsController,
    CertificatesController,
    AdminCertificatesController,
]

__all__ = ["ASSESSMENTS_ROUTES"]
