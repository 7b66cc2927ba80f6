"""Test support for the Content context: its API on memory adapters (``app``) and tiny
real videos (``media``). Test code only."""

from cmh_testing.content.app import (
    BASE_URL,
    ContentTestHarness,
    build_content_test_app,
    build_content_test_harness,
)
from cmh_testing.content.media import tiny_video

__all__ = [
    "BASE_URL",
    "ContentTestHarness",
    "build_content_test_app",
    "build_content_test_harness",
    "tiny_video",
]
