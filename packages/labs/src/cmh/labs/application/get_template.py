"""One lab template, for any signed-in user."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.labs.application.access import existing_template
from cmh.labs.application.ports import TemplateRepository
from cmh.labs.application.views import TemplateView, template_view


class GetTemplate:
    def __init__(self, templates: TemplateRepository) -> None:
        self._templates = templates

    async def execute(self, principal: Principal, template_id: str) -> TemplateView:
        return template_view(await existing_template(self._templates, template_id))
