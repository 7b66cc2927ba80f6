"""Admins see every warm pool: its size and how many environments wait in it, ready or
still provisioning."""

from __future__ import annotations

from collections import Counter

from cmh.kernel.auth.principal import Principal
from cmh.labs.application.access import ensure_admin
from cmh.labs.application.ports import TemplateRepository, WarmPoolRepository
from cmh.labs.application.views import WarmPoolView
from cmh.labs.domain.warm_pool import WarmStatus


class AdminWarmPools:
    def __init__(self, templates: TemplateRepository, pool: WarmPoolRepository) -> None:
        self._templates = templates
        self._pool = pool

    async def execute(self, principal: Principal) -> list[WarmPoolView]:
        ensure_admin(principal)
        counts = Counter((e.template_id, e.status) for e in await self._pool.waiting())
        return [
            WarmPoolView(
                template_id=template.id,
                title=template.title,
                size=template.warm_pool_size,
                ready=counts[template.id, WarmStatus.READY],
                provisioning=counts[template.id, WarmStatus.PROVISIONING],
            )
            for template in await self._templates.by_provider()
            if template.warm_pool_size > 0 or counts[template.id, WarmStatus.READY]
        ]
