"""Certificates rendered as a one-page landscape A4 PDF with reportlab: the learner's
name, the course, the date, the verification code and a QR code of the public
verification link."""

from __future__ import annotations

import io
from datetime import datetime

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

QR_SIZE = 40 * mm


class ReportlabCertificateRenderer:
    def render(
        self,
        *,
        learner_name: str,
        course_title: str,
        issued_at: datetime,
        code: str,
        verify_url: str,
    ) -> bytes:
        buffer = io.BytesIO()
        width, height = landscape(A4)
        pdf = Canvas(buffer, pagesize=(width, height), invariant=True)
        pdf.setTitle(f"CloudMastersHub certificate {code}")
        pdf.setAuthor("CloudMastersHub")
        pdf.setLineWidth(2)
        pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
        pdf.setFont("Helvetica-Bold", 30)
        pdf.drawCentredString(width / 2, height - 45 * mm, "Certificate of Completion")
        pdf.setFont("Helvetica", 14)
        pdf.drawCentredString(width / 2, height - 62 * mm, "This certifies that")
        pdf.setFont("Helvetica-Bold", 26)
        pdf.drawCentredString(width / 2, height - 80 * mm, learner_name)
        pdf.setFont("Helvetica", 14)
        pdf.drawCentredString(width / 2, height - 96 * mm, "has completed the course")
        pdf.setFont("Helvetica-Bold", 20)
        pdf.drawCentredString(width / 2, height - 110 * mm, course_title)
        pdf.setFont("Helvetica", 12)
        pdf.drawString(25 * mm, 40 * mm, f"Issued on {issued_at.date().isoformat()}")
        pdf.drawString(25 * mm, 32 * mm, f"Verification code: {code}")
        pdf.setFont("Helvetica", 9)
        pdf.drawString(25 * mm, 24 * mm, f"Verify at {verify_url}")
        qr = QrCodeWidget(verify_url)
        left, bottom, right, top = qr.getBounds()
        drawing = Drawing(
            QR_SIZE,
            QR_SIZE,
            transform=[QR_SIZE / (right - left), 0, 0, QR_SIZE / (top - bottom), 0, 0],
        )
        drawing.add(qr)
        renderPDF.draw(drawing, pdf, width - 25 * mm - QR_SIZE, 20 * mm)
        pdf.showPage()
        pdf.save()
        return buffer.getvalue()
