"""Settings of the Assessments context (``CMH_ASSESSMENTS__...`` when loaded with the
kernel's ``load_settings``)."""

from __future__ import annotations

import msgspec

from cmh.assessments.adapters.courses.settings import CoursesClientSettings
from cmh.assessments.adapters.crypto.settings import CredentialKeySettings
from cmh.assessments.adapters.proctoring.settings import ProctorioSettings


class AssessmentsSettings(msgspec.Struct, frozen=True):
    """``public_url``: where the platform's public API is reached (verification links,
    the credentials' issuer); ``credential_keys``: the certificates' signing keys;
    ``courses``: the courses service (distributed); ``sweeper_seconds``: how often
    attempts left open past their deadline are closed and graded; ``proctorio``:
    Proctorio for proctored exams (no consumer key: the local stand-in)."""

    public_url: str = "http://127.0.0.1:8000"
    credential_keys: CredentialKeySettings = CredentialKeySettings()
    courses: CoursesClientSettings = CoursesClientSettings()
    sweeper_seconds: float = 60.0
    proctorio: ProctorioSettings = ProctorioSettings()
