"""``/health/live`` (the process answers) and ``/health/ready`` (its dependencies do)."""

from __future__ import annotations

from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Response, get

from cmh.kernel.health import HealthChecks


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
        results = await checks.run()
        ok = all(value == "up" for value in results.values())
        return Response(
            {"status": "up" if ok else "down", "checks": results},
            status_code=200 if ok else 503,
        )
