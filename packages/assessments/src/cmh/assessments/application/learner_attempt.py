"""An attempt as the use cases find it: the learner's own (others get 404, as if it did
not exist), with its pinned questions."""

from __future__ import annotations

from cmh.assessments.application.ports import AttemptRepository
from cmh.assessments.domain.attempt import Attempt
from cmh.assessments.domain.errors import AttemptNotFound
from cmh.kernel.auth.principal import Principal


async def own_attempt(
    attempts: AttemptRepository, principal: Principal, attempt_id: str
) -> Attempt:
    attempt = await attempts.get(attempt_id)
    if attempt is None or attempt.user_id != principal.user_id:
        raise AttemptNotFound(f"attempt {attempt_id} not found")
    return attempt
