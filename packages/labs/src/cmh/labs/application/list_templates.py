"""The lab templates, of one provider or all, for any signed-in user."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.labs.application.ports import TemplateRepository
from cmh.labs.application.views import TemplateView, template_view
from cmh.labs.domain.template import CloudProvider


class ListTemplates:
    def __init__(self, templates: TemplateRepository) -> None:
        self._templates = templates

    async def execute(
        self, principal: Principal, provider: CloudProvider | None = None
    ) -> list[TemplateView]:
        return [template_view(t) for t in await self._templates.by_provider(provider)]
