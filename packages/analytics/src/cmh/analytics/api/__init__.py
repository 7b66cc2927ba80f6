"""The Analytics HTTP API: hand ``ANALYTICS_ROUTES`` to the kernel's ``create_http_app``."""

from __future__ import annotations

from cmh.analytics.api.analytics import AnalyticsController
from cmh.analytics.api.recommendations import RecommendationsController

ANALYTICS_ROUTES = [AnalyticsController, RecommendationsController]

__all__ = ["ANALYTICS_ROUTES"]
