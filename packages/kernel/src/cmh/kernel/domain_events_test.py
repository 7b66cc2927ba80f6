from dataclasses import dataclass

from cmh.kernel.domain_events import recorded_events, take_events


@dataclass(frozen=True)
class Renamed:
    name: str


@dataclass(slots=True)
class Thing:
    name: str
    events: list[object] = recorded_events()

    def rename(self, name: str) -> None:
        self.name = name
        self.events.append(Renamed(name))


def test_events_are_recorded_in_order_and_taken_once() -> None:
    thing = Thing("a")
    thing.rename("b")
    thing.rename("c")
    assert take_events(thing) == [Renamed("b"), Renamed("c")]
    assert take_events(thing) == []


def test_recorded_events_stay_out_of_equality_and_repr() -> None:
    renamed = Thing("a")
    renamed.rename("b")
    assert renamed == Thing("b")
    assert "events" not in repr(renamed)
