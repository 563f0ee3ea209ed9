"""PendingEdits: what a person changed and has not saved, kept outside any page model."""

from __future__ import annotations

import pytest

from crmdesk.editing import EditsChanged, FieldEdit, PendingEdits


@pytest.fixture
def edits() -> PendingEdits:
    return PendingEdits()


def test_an_edit_keeps_the_loaded_value_as_old_however_often_it_changes(
    edits: PendingEdits,
) -> None:
    edits.set("p1", "lead", "7", "Status", "Open", "Contacted")
    # The view now shows "Contacted" and hands it in as the old value: the server's stays.
    edits.set("p1", "lead", "7", "Status", "Contacted", "Qualified")
    assert edits.get("p1", "lead", "7", "Status") == FieldEdit(
        "p1", "lead", "7", "Status", "Open", "Qualified"
    )


def test_setting_a_field_back_to_its_loaded_value_drops_the_edit(edits: PendingEdits) -> None:
    edits.set("p1", "lead", "7", "Status", "Open", "Contacted")
    edits.set("p1", "lead", "7", "Status", "Contacted", "Open")
    assert edits.count() == 0
    assert edits.of_entity("p1", "lead") == {}
    assert edits.entities() == []


def test_a_flag_set_to_what_the_server_spells_1_is_no_edit(edits: PendingEdits) -> None:
    edits.set("p1", "contacts", "c1", "do_not_call", "1", True)
    assert edits.count() == 0
    edits.set("p1", "contacts", "c1", "do_not_call", "1", False)
    assert edits.count() == 1


def test_counts_per_connection_and_entity(edits: PendingEdits) -> None:
    edits.set("p1", "lead", "1", "a", "x", "y")
    edits.set("p1", "lead", "1", "b", "x", "y")
    edits.set("p1", "lead", "2", "a", "x", "y")
    edits.set("p1", "account", "9", "a", "x", "y")
    edits.set("p2", "lead", "1", "a", "x", "y")
    assert edits.count() == 5
    assert edits.count("p1") == 4
    assert edits.count("p1", "lead") == 3
    assert edits.record_count("p1", "lead") == 2
    assert edits.record_count("p1") == 3
    assert edits.record_count(entity="lead") == 3
    assert edits.entities("p1") == [("p1", "lead"), ("p1", "account")]


def test_records_come_in_the_order_they_were_first_edited(edits: PendingEdits) -> None:
    for record_id in ("9", "2", "5"):
        edits.set("p1", "lead", record_id, "a", "x", "y")
    edits.set("p1", "lead", "2", "b", "x", "y")
    assert list(edits.of_entity("p1", "lead")) == ["9", "2", "5"]
    assert list(edits.of_record("p1", "lead", "2")) == ["a", "b"]


def test_revert_a_cell_a_record_an_entity_or_everything(edits: PendingEdits) -> None:
    for record_id in ("1", "2"):
        edits.set("p1", "lead", record_id, "a", "x", "y")
        edits.set("p1", "lead", record_id, "b", "x", "y")
    edits.set("p1", "account", "1", "a", "x", "y")
    edits.set("p2", "lead", "1", "a", "x", "y")
    edits.revert("p1", "lead", "1", "a")
    assert list(edits.of_record("p1", "lead", "1")) == ["b"]
    edits.revert("p1", "lead", "2")
    assert list(edits.of_entity("p1", "lead")) == ["1"]
    edits.revert_all("p1", "lead")
    assert edits.count() == 2
    edits.revert_all("p1")
    assert edits.entities() == [("p2", "lead")]
    edits.revert_all()
    assert edits.count() == 0


def test_listeners_hear_which_records_changed_and_can_stop(edits: PendingEdits) -> None:
    heard: list[EditsChanged] = []
    stop = edits.subscribe(heard.append)
    edits.set("p1", "lead", "1", "a", "x", "y")
    edits.set("p1", "lead", "1", "a", "y", "y")  # same as pending: still news (nothing new)
    edits.revert("p1", "lead", "1", "zzz")  # nothing to revert: no news
    edits.set("p1", "lead", "2", "a", "x", "y")
    edits.revert_all("p1", "lead")
    stop()
    edits.set("p1", "lead", "3", "a", "x", "y")
    assert heard == [
        EditsChanged("p1", "lead", ("1",)),
        EditsChanged("p1", "lead", ("1",)),
        EditsChanged("p1", "lead", ("2",)),
        EditsChanged("p1", "lead", ("1", "2")),
    ]


def test_a_failing_listener_does_not_stop_the_edit_or_the_others(edits: PendingEdits) -> None:
    heard: list[EditsChanged] = []

    def broken(change: EditsChanged) -> None:
        raise RuntimeError("a view bug")

    edits.subscribe(broken)
    edits.subscribe(heard.append)
    edits.set("p1", "lead", "1", "a", "x", "y")
    assert edits.count() == 1
    assert len(heard) == 1


def test_saved_edits_leave_but_an_edit_typed_during_the_save_stays(edits: PendingEdits) -> None:
    edits.set("p1", "lead", "1", "a", "old", "sent")
    edits.set("p1", "lead", "1", "b", "old", "sent")
    sent = list(edits.of_record("p1", "lead", "1").values())
    edits.set("p1", "lead", "1", "b", "sent", "typed meanwhile")
    edits.saved(sent)
    assert edits.of_record("p1", "lead", "1") == {
        "b": FieldEdit("p1", "lead", "1", "b", "sent", "typed meanwhile")
    }
