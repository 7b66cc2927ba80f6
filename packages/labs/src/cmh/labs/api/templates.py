"""Lab templates: read by any signed-in user, authored by instructors (their own) and
admins."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from cmh.kernel.auth.principal import Principal
from cmh.kernel.web.openapi_problems import problem_responses
from cmh.labs.api.guards import AUTHORS_ONLY
from cmh.labs.api.schemas import TemplateCreate, TemplateUpdate
from cmh.labs.application.create_template import CreateTemplate
from cmh.labs.application.get_template import GetTemplate
from cmh.labs.application.list_templates import ListTemplates
from cmh.labs.application.revise_template import ReviseTemplate
from cmh.labs.application.views import TemplateView
from cmh.labs.domain.template import CloudProvider

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]


class TemplatesController(Controller):
    path = "/api/v1/labs/templates"
    tags = ["labs"]

    @get("", operation_id="labs_templates_list", summary="Lab templates", security=BEARER)
    @inject
    async def list_templates(
        self,
        principal: FromDishka[Principal],
        templates: FromDishka[ListTemplates],
        provider: FromQuery[CloudProvider | None] = None,
    ) -> list[TemplateView]:
        return await templates.execute(principal, provider)

    @get(
        "/{template_id:str}",
        operation_id="labs_templates_get",
        summary="One lab template with its resources and tasks",
        security=BEARER,
    )
    @inject
    async def get_template(
        self,
        template_id: FromPath[str],
        principal: FromDishka[Principal],
        template: FromDishka[GetTemplate],
    ) -> TemplateView:
        return await template.execute(principal, template_id)

    @post(
        "",
        operation_id="labs_templates_create",
        guards=[AUTHORS_ONLY],
        responses=problem_responses(403),
        summary="Author a lab template",
        security=BEARER,
    )
    @inject
    async def create(
        self,
        data: JSONBody[TemplateCreate],
        principal: FromDishka[Principal],
        create: FromDishka[CreateTemplate],
    ) -> TemplateView:
        return await create.execute(principal, data.command())

    @patch(
        "/{template_id:str}",
        operation_id="labs_templates_update",
        guards=[AUTHORS_ONLY],
        responses=problem_responses(403, 409),
        summary="Revise a lab template (its author or an admin)",
        security=BEARER,
    )
    @inject
    async def update(
        self,
        template_id: FromPath[str],
        data: JSONBody[TemplateUpdate],
        principal: FromDishka[Principal],
        revise: FromDishka[ReviseTemplate],
    ) -> TemplateView:
        return await revise.execute(principal, template_id, data.command())
