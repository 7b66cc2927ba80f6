"""Objects alive at the end of the start are out of the collector's generations; garbage
left by the start is collected first, not frozen with them."""

from __future__ import annotations

import gc
import weakref

from cmh.kernel.long_lived import set_aside_startup_objects


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_what_lives_at_the_end_of_the_start_is_set_aside_and_garbage_is_not() -> None:
    gc.unfreeze()
    try:
        kept = [{"id": n} for n in range(1_000)]
        garbage = Node()
        gone = weakref.ref(garbage)
        del garbage
        frozen_before = gc.get_freeze_count()

        set_aside_startup_objects()

        assert gone() is None
        assert gc.get_freeze_count() >= frozen_before + len(kept)
        in_generations = {id(o) for o in gc.get_objects()}
        assert not any(id(o) in in_generations for o in kept)
    finally:
        gc.unfreeze()
