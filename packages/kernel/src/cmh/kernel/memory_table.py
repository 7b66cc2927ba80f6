"""``MemoryTable``: the rows of an in-memory fake, kept the way a database table keeps them.

A write made inside the unit of work's transaction is staged there, read back by that
transaction (read-your-writes), applied when it commits and dropped when it ends without
a commit; other transactions and reads outside one see only committed rows. So a use case
that forgets ``commit()`` loses its writes against the fake exactly as against the real
store. Rows are stored as given: the repositories copy in and out.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping
from typing import Any, Generic, TypeVar

from cmh.kernel.uow import InMemoryUnitOfWork

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_DELETED: Any = object()


class MemoryTable(Generic[K, V]):
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow
        self.committed: dict[K, V] = {}

    def get(self, key: K) -> V | None:
        staged = self._uow.staged(self)
        if staged and key in staged:
            found = staged[key]
            return None if found is _DELETED else found
        return self.committed.get(key)

    def __contains__(self, key: K) -> bool:
        return self.get(key) is not None

    def items(self) -> list[tuple[K, V]]:
        """Committed rows in insertion order, overlaid with this transaction's writes."""
        staged = self._uow.staged(self)
        if not staged:
            return list(self.committed.items())
        merged = {**self.committed, **staged}
        return [(key, row) for key, row in merged.items() if row is not _DELETED]

    def __iter__(self) -> Iterator[K]:
        """The keys, snapshotted: deleting while iterating is fine."""
        return iter([key for key, _ in self.items()])

    def values(self) -> list[V]:
        return [row for _, row in self.items()]

    def put(self, key: K, row: V) -> None:
        self._writes()[key] = row

    def delete(self, key: K) -> None:
        self._writes()[key] = _DELETED

    def apply(self, writes: Mapping[Any, Any]) -> None:
        """Called by the unit of work when the transaction commits."""
        for key, row in writes.items():
            if row is _DELETED:
                self.committed.pop(key, None)
            else:
                self.committed[key] = row

    def _writes(self) -> dict[Any, Any]:
        staged = self._uow.staged(self)
        if staged is None:
            raise RuntimeError(
                "write outside `async with uow:`: a real store would never commit it"
            )
        return staged
