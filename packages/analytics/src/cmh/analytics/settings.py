"""Settings of the Analytics context (``CMH_ANALYTICS__...`` with the kernel's
``load_settings``)."""

from __future__ import annotations

import msgspec

from cmh.analytics.adapters.courses.settings import CoursesClientSettings
from cmh.analytics.adapters.mixpanel.settings import MixpanelSettings
from cmh.analytics.adapters.redshift.settings import RedshiftSettings
from cmh.analytics.adapters.users.settings import UsersClientSettings


class AnalyticsSettings(msgspec.Struct, frozen=True):
    """``courses``/``users``: the services asked (distributed); ``mixpanel``: product
    analytics (no token, nothing forwarded); ``redshift``: the batch export;
    ``retrain_*``: the recommendation model is trained again when this many new facts
    arrived, or when it is this old and anything arrived, checked every
    ``retrain_check_seconds`` by the worker (the embedded platform)."""

    courses: CoursesClientSettings = CoursesClientSettings()
    users: UsersClientSettings = UsersClientSettings()
    mixpanel: MixpanelSettings = MixpanelSettings()
    redshift: RedshiftSettings = RedshiftSettings()
    retrain_min_new_facts: int = 1000
    retrain_max_age_seconds: float = 3600.0
    retrain_check_seconds: float = 60.0
