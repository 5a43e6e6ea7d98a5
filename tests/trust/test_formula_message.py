"""Issue 11, finding 7: a formula in "Message to customer" never reaches the customer.

Before: on the Sheets path the *computed* value was emailed (the read asked for
``formattedValue``), so ``=D2`` pointing at Internal notes would email the notes;
in the workbook the formula text itself was emailed.  Now cells are read as
typed, and a formula in that cell is refused with a note in the row.
"""

from __future__ import annotations

from pathlib import Path

from automation.sheet import layout as columns
from tests.lifecycle.test_lifecycle_cycle import (
    NOW,
    cell,
    edit,
    open_case,
    outbox,
    text_of,
)
from tests.support.store_world import World


def test_sheets_read_gives_the_formula_as_typed_not_its_value() -> None:
    world = World()
    world.cycle(creates=["C-1"])
    notes = columns.DEFAULT_ORDER.index(columns.NOTES)
    letter = chr(ord("A") + notes)
    world.edit_team("C-1", columns.NOTES, "supplier owes us 4k, do not tell the client")
    world.edit_team("C-1", columns.MESSAGE_TO_CUSTOMER, f"={letter}2")
    case = world.store.load().by_id()["C-1"]
    assert case.get(columns.MESSAGE_TO_CUSTOMER) == f"={letter}2"


def test_a_formula_in_message_to_customer_is_refused_with_a_note(tmp_path: Path) -> None:
    cycles, store = open_case(tmp_path)
    before = {str(m["Message-ID"]) for m in outbox(tmp_path)}
    edit(store, "C-1000", columns.NOTES, "internal: refund blocked by finance")
    edit(store, "C-1000", columns.MESSAGE_TO_CUSTOMER, '=CONCAT("Hi ", Z2)')
    cycles.run(NOW.replace(hour=11))
    assert {str(m["Message-ID"]) for m in outbox(tmp_path)} == before  # nothing went out
    note = cell(store, "C-1000", columns.MESSAGE_SENT)
    assert note.startswith("NOT SENT: Message to customer holds a formula"), note
    edit(store, "C-1000", columns.MESSAGE_TO_CUSTOMER, "Your replacement ships today.")
    cycles.run(NOW.replace(hour=12))
    sent = [m for m in outbox(tmp_path) if str(m["Message-ID"]) not in before]
    customer = [m for m in sent if "hana@customer.example" in str(m["To"])]
    assert len(customer) == 1 and "replacement ships today" in text_of(customer[0])
    assert all("refund blocked" not in text_of(m) for m in outbox(tmp_path))
