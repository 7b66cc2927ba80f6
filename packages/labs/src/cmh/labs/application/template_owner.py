"""Who owns a template: courses asks before a lesson may refer to it (an id is never a
capability, so a lesson refers only to its author's templates, or any for an admin)."""

from __future__ import annotations

from cmh.contracts.http.labs import TemplateOwnerResponse
from cmh.kernel.auth.principal import Principal
from cmh.labs.application.access import ensure_service_or_author, existing_template
from cmh.labs.application.ports import TemplateRepository


class TemplateOwner:
    def __init__(self, templates: TemplateRepository) -> None:
        self._templates = templates

    async def execute(self, caller: Principal, template_id: str) -> TemplateOwnerResponse:
        ensure_service_or_author(caller)
        template = await existing_template(self._templates, template_id)
        return TemplateOwnerResponse(template_id=template.id, owner_id=template.owner_id)
