"""Test support for the Analytics context: its module composed in the memory and
embedded profiles (``compositions``), a fake of Mixpanel's ingestion API
(``fake_mixpanel``) and the recommendation data set with planted structure
(``generator``). Test code only."""

from cmh_testing.analytics.compositions import (
    AnalyticsTestApp,
    build_analytics_test_app,
    delivered,
    memory_analytics,
)
from cmh_testing.analytics.fake_mixpanel import FakeMixpanel

__all__ = [
    "AnalyticsTestApp",
    "FakeMixpanel",
    "build_analytics_test_app",
    "delivered",
    "memory_analytics",
]
