"""An erased user: their facts stay in the aggregates under a pseudonym no one can trace
back, and the recommendations kept for them are dropped."""

from __future__ import annotations

from cmh.analytics.application.ports import FactWarehouse, RecommendationBoard
from cmh.kernel.clock import IdGenerator
from cmh.kernel.uow import UnitOfWork


class HandleUserErasure:
    def __init__(
        self,
        warehouse: FactWarehouse,
        board: RecommendationBoard,
        ids: IdGenerator,
        uow: UnitOfWork,
    ) -> None:
        self._warehouse = warehouse
        self._board = board
        self._ids = ids
        self._uow = uow

    async def execute(self, user_id: str) -> None:
        async with self._uow:
            await self._warehouse.pseudonymise(user_id, f"erased-{self._ids.new_id()}")
            await self._board.forget(user_id)
            await self._uow.commit()
