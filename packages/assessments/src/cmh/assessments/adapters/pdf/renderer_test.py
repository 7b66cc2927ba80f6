from __future__ import annotations

import io
from datetime import UTC, datetime

from pypdf import PdfReader

from cmh.assessments.adapters.pdf.renderer import ReportlabCertificateRenderer


def test_the_pdf_opens_and_carries_the_name_course_date_and_code() -> None:
    content = ReportlabCertificateRenderer().render(
        learner_name="Ada Lovelace",
        course_title="AWS Cloud Practitioner Essentials",
        issued_at=datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
        code="CMH-ABCD-EF01-2345",
        verify_url="https://cloudmastershub.example/api/v1/certificates/verify/CMH-ABCD-EF01-2345",
    )
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for expected in ("Ada Lovelace", "AWS Cloud Practitioner Essentials", "2026-03-01"):
        assert expected in text
    assert "CMH-ABCD-EF01-2345" in text
    assert reader.metadata is not None
    assert reader.metadata.title == "CloudMastersHub certificate CMH-ABCD-EF01-2345"
