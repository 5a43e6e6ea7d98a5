"""The store-test world itself: creates, updates and a team edit round-trip with no faults."""

from __future__ import annotations

from automation.sheet import layout as columns
from tests.support.store_world import World


def test_world_round_trip() -> None:
    world = World()
    assert world.cycle(creates=["C-1", "C-2"]).created == ("C-1", "C-2")
    assert world.cycle(updates=["C-1"]).updated == ("C-1",)
    world.edit_team("C-2", columns.NOTES, "called")
    assert world.cycle(updates=["C-2"]).updated == ("C-2",)
    assert world.faults() == []
