"""Who may do what with templates and sessions: decided once, here, for every use case."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal, Role
from cmh.kernel.errors import Forbidden
from cmh.labs.application.ports import SessionRepository, TemplateRepository
from cmh.labs.domain.errors import SessionNotFound, TemplateNotFound
from cmh.labs.domain.session import LabSession
from cmh.labs.domain.template import LabTemplate


def ensure_author(principal: Principal) -> None:
    if not (principal.is_admin or principal.has_role(Role.INSTRUCTOR)):
        raise Forbidden("only instructors and admins author lab templates", code="not_an_author")


# The role of another platform service's token (users issues them), or of the identity
# an in-process bridge acts as.
SERVICE_ROLE = "service"


def is_service(principal: Principal) -> bool:
    return SERVICE_ROLE in principal.roles


def ensure_service_or_self(principal: Principal, user_id: str) -> None:
    """A platform service acting for a learner, the learner themself, or an admin."""
    if not (is_service(principal) or principal.may_act_for(user_id)):
        raise Forbidden("only a platform service may act for a learner", code="service_only")


def ensure_service_or_author(principal: Principal) -> None:
    if not is_service(principal):
        ensure_author(principal)


def ensure_admin(principal: Principal) -> None:
    if not principal.is_admin:
        raise Forbidden("only admins see every lab session", code="admin_only")


async def existing_template(templates: TemplateRepository, template_id: str) -> LabTemplate:
    template = await templates.get(template_id)
    if template is None:
        raise TemplateNotFound(f"lab template {template_id} not found")
    return template


async def managed_template(
    templates: TemplateRepository, template_id: str, principal: Principal
) -> LabTemplate:
    """The template, when the caller owns it (as an instructor) or is an admin."""
    ensure_author(principal)
    template = await existing_template(templates, template_id)
    if not (principal.is_admin or principal.user_id == template.owner_id):
        raise Forbidden(
            "only the template's author or an admin may change it", code="not_template_owner"
        )
    return template


async def visible_session(
    sessions: SessionRepository, session_id: str, principal: Principal
) -> LabSession:
    """The session of its learner (or any, for an admin); another learner's session does
    not exist as far as the caller can tell."""
    session = await sessions.get(session_id)
    if session is None or not (principal.is_admin or principal.user_id == session.user_id):
        raise SessionNotFound(f"lab session {session_id} not found")
    return session


async def own_session(
    sessions: SessionRepository, session_id: str, principal: Principal
) -> LabSession:
    """The caller's own session (what only its learner may act on)."""
    session = await sessions.get(session_id)
    if session is None or principal.user_id != session.user_id:
        raise SessionNotFound(f"lab session {session_id} not found")
    return session
