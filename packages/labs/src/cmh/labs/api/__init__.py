"""The Labs HTTP API: hand ``LABS_ROUTES`` to the kernel's ``create_http_app``."""

from __future__ import annotations

from cmh.labs.api.admin import AdminLabsController
from cmh.labs.api.hours import LabHoursController
from cmh.labs.api.internal import InternalLabsController
from cmh.labs.api.sessions import SessionsController
from cmh.labs.api.templates import TemplatesController

LABS_ROUTES = [
    TemplatesController,
    SessionsController,
    LabHoursController,
    AdminLabsController,
    InternalLabsController,
]

__all__ = ["LABS_ROUTES"]
