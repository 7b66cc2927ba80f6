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
    analytics (no token, nothing forwarded); ``redshift``: the batch export."""

    courses: CoursesClientSettings = CoursesClientSettings()
    users: UsersClientSettings = UsersClientSettings()
    mixpanel: MixpanelSettings = MixpanelSettings()
    redshift: RedshiftSettings = RedshiftSettings()
