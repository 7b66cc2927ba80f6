"""``GET /api/v1/admin/dead-letters``: administrators read what the consumers parked.

Served by the embedded platform (what the in-process bus parked) and, in the distributed
profile, by the users API, which serves the admin routes behind the gateway (the tails of
the Kafka ``<topic>.dlq`` topics every service parks on).
"""

from __future__ import annotations

from typing import Annotated

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get
from litestar.params import QueryParameter

from cmh.kernel.auth.principal import Principal, Role
from cmh.kernel.messaging.parked import MAX_LIMIT, DeadLetterView, ListDeadLetters
from cmh.kernel.web.guards import requires_role
from cmh.kernel.web.openapi_problems import problem_responses

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]


class DeadLettersController(Controller):
    path = "/api/v1/admin/dead-letters"
    tags = ["admin"]
    security = BEARER
    guards = [requires_role(Role.ADMIN, code="admin_only")]

    @get(
        "/",
        operation_id="admin_dead_letters",
        summary="Messages the consumers parked after their retries, newest first",
        responses=problem_responses(403),
    )
    @inject
    async def newest(
        self,
        caller: FromDishka[Principal],
        letters: FromDishka[ListDeadLetters],
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)] = 100,
    ) -> list[DeadLetterView]:
        return list(await letters.execute(caller, limit=limit))
