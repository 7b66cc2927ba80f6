"""Small sample files for the embedded platform demo, written by hand (no media tools).

What they are, honestly: an SVG course poster, a WebVTT caption file and a Markdown
study sheet. There is no sample video: a valid MP4/WebM cannot be produced here without
an encoder, and a fake one would not play.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmh.content.domain.asset import AssetKind

POSTER_SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360"
  viewBox="0 0 640 360">
  <rect width="640" height="360" fill="#0b3d91"/>
  <circle cx="520" cy="90" r="60" fill="#ffffff" opacity="0.15"/>
  <text x="40" y="200" font-family="sans-serif" font-size="44" fill="#ffffff">CloudMastersHub</text>
  <text x="40" y="250" font-family="sans-serif" font-size="24" fill="#cfe0ff">AWS Foundations</text>
</svg>
"""

CAPTIONS_VTT = b"""WEBVTT

00:00:00.000 --> 00:00:04.000
Welcome to AWS Foundations on CloudMastersHub.

00:00:04.000 --> 00:00:09.000
In this lesson we create our first S3 bucket.
"""

STUDY_SHEET_MD = b"""# AWS Foundations: study sheet

- Regions contain Availability Zones.
- S3 stores objects in buckets; keys are names, not folders.
- IAM policies allow or deny actions on resources.
"""


@dataclass(frozen=True, slots=True)
class SampleFile:
    filename: str
    content_type: str
    kind: AssetKind
    data: bytes


SAMPLES: tuple[SampleFile, ...] = (
    SampleFile("aws-foundations-poster.svg", "image/svg+xml", AssetKind.IMAGE, POSTER_SVG),
    SampleFile("aws-foundations-en.vtt", "text/vtt", AssetKind.CAPTION, CAPTIONS_VTT),
    SampleFile(
        "aws-foundations-study-sheet.md", "text/markdown", AssetKind.DOCUMENT, STUDY_SHEET_MD
    ),
)
