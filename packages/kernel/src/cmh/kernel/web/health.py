"""``/health/live``: the process answers (cheap, no dependency: a failing one restarts the
process). ``/health/ready``: it can serve its traffic now (see ``cmh.kernel.health``): 200
``up`` or ``degraded`` (a signal such as the broker is down; it still serves), 503 ``down``
(a store it needs does not answer: take it out of the load balancer), or 503 ``draining``
once SIGTERM began the drain before a graceful shutdown (``serving.DrainingServer``)."""

from __future__ import annotations

from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Response, get

from cmh.kernel.health import HealthChecks
from cmh.kernel.web.serving import DRAINING


class HealthController(Controller):
    path = "/health"
    tags = ["health"]
    include_in_schema = True

    @get("/live", operation_id="health_live")
    async def live(self) -> dict[str, str]:
        return {"status": "up"}

    @get("/ready", operation_id="health_ready")
    @inject
    async def ready(self, checks: FromDishka[HealthChecks]) -> Response[dict[str, Any]]:
        if DRAINING.is_set():
            return Response({"status": "draining", "checks": {}}, status_code=503)
        readiness = await checks.run()
        return Response(readiness.body(), status_code=200 if readiness.ready else 503)
