"""Edit & resend: a recorded or imported call, changed, sent again through a connection that
signs it with its own current sign-in; read-only connections refuse writes in words and
production ones ask first; the new call is listed as the replay of its original and compares
with it side by side."""

from __future__ import annotations

from urllib.parse import urlsplit

from inspector_helpers import WAIT_MS
from profiles_helpers import answer, confirmation

from crmdesk.history import Change
from crmdesk.ui.inspector.rows import Origin


def lead_page(inspecting):
    inspecting.open_first_entity()
    row = inspecting.rows(lambda r: "/lead?page=1" in r.summary.url)[0]
    inspecting.dock.select(row.id)
    inspecting.wait_shown(row.id)
    return row, inspecting.dock.details.exchange


def send(inspecting, editor) -> None:
    editor.send_button.click()
    inspecting.qtbot.waitUntil(
        lambda: editor.send_button.isEnabled() and "Sending" not in editor.outcome.text(),
        timeout=WAIT_MS,
    )


def test_a_replay_signs_itself_again_and_is_listed_as_the_replay_of_its_original(
    inspecting,
) -> None:
    row, original = lead_page(inspecting)
    assert original.request_header("authorization") == "[REDACTED]"
    editor = inspecting.dock.tools.replay(original, row)
    assert editor.connection.currentData() == original.connection_id
    assert editor.query.pairs() == [("page", "1"), ("per_page", "50")]
    editor.query.set_value("per_page", "5")
    inspecting.emulator.clear_requests()

    send(inspecting, editor)

    sent = editor.last_sent
    assert sent is not None
    assert sent.status == 200
    (received,) = inspecting.emulator.requests
    assert received.query == {"page": "1", "per_page": "5"}
    assert received.header("authorization").startswith("Bearer ")
    assert "REDACTED" not in received.header("authorization")
    assert "Sent: 200 OK" in editor.outcome.text()
    dock = inspecting.dock
    assert dock.current_row().id == sent.id
    assert dock.feed.original_of(sent.id) == original.id
    assert "replay of" in dock.current_row().note
    assert dock.details.compare_button.isVisibleTo(dock.details)

    editor.compare_button.click()
    window = dock.tools.compare_window
    assert window is not None
    assert window.isVisible()
    found = window.comparison
    assert found.url == (original.url, sent.url)
    assert found.status is None
    assert any(
        c.path == "$.Entity[5]" and c.change is Change.REMOVED for c in found.response_body.changes
    )
    assert window.tabs.tabText(0).startswith("Reply body (")
    assert window.summary.item(3, 0).text() == "URL ≠"


def test_an_imported_curl_command_is_sent_after_a_fresh_sign_in(inspecting) -> None:
    base = inspecting.sandbox.endpoints[0].base_url
    dialog = inspecting.dock.tools.paste_curl()
    dialog.text.setPlainText(
        f"curl '{base}/lead?page=1&per_page=2' -H 'Authorization: Bearer eyJ.real-token'"
    )
    dialog.import_button.click()
    dock = inspecting.dock
    row = dock.current_row()
    assert row is not None
    assert row.origin is Origin.IMPORTED
    imported = dock.details.exchange
    assert "eyJ.real-token" not in str(imported.request_headers)
    assert "not sent from here" in dock.details.heading.text()
    assert not inspecting.desk.exchanges  # nothing has signed in yet

    editor = dock.tools.replay(imported, row)
    assert editor.connection.currentData() == inspecting.session().id  # the same server
    send(inspecting, editor)

    assert editor.last_sent is not None
    assert editor.last_sent.status == 200
    calls = [(e.auth, urlsplit(e.url).path) for e in inspecting.desk.exchanges]
    assert calls == [(True, "/api/v1/authenticate"), (False, "/api/v1/lead")]
    assert dock.feed.original_of(editor.last_sent.id) == imported.id


def test_a_read_only_connection_refuses_a_write_in_words(inspecting) -> None:
    row, original = lead_page(inspecting)
    safe = inspecting.add_profile(name="Safe", read_only=True)
    editor = inspecting.dock.tools.replay(original, row)
    editor.connection.setCurrentIndex(editor.connection.findData(safe.id))
    assert "Read-only" in editor.guard_words.text()
    editor.method.setCurrentText("PUT")
    editor.url.setText(editor.url.text() + "/AAA111")
    assert editor.tabs.tabText(0) == "Query (2)"
    editor.query.table.selectAll()
    editor.query.remove_selected()
    assert editor.tabs.tabText(0) == "Query (0)"
    editor.body.setPlainText('{"Status": "Open"}')
    inspecting.emulator.clear_requests()

    editor.send_button.click()
    inspecting.qtbot.waitUntil(lambda: "read-only" in editor.outcome.text(), timeout=WAIT_MS)

    assert "This connection is read-only; the replayed request was not sent." in (
        editor.outcome.text()
    )
    assert "Switch off read-only in File → Connections…" in editor.outcome.text()
    assert editor.last_sent is None
    assert not [r for r in inspecting.emulator.requests if r.method == "PUT"]


def test_production_asks_before_a_write_and_not_before_a_read(inspecting) -> None:
    row, original = lead_page(inspecting)
    prod = inspecting.add_profile(name="Acme", production=True)
    editor = inspecting.dock.tools.replay(original, row)
    editor.connection.setCurrentIndex(editor.connection.findData(prod.id))
    assert "Production" in editor.guard_words.text()
    inspecting.emulator.clear_requests()

    send(inspecting, editor)  # a GET: no question
    assert confirmation() is None
    assert editor.last_sent is not None
    assert editor.last_sent.connection_id == prod.id
    read = editor.last_sent

    editor.method.setCurrentText("PUT")
    editor.body.setPlainText('{"Status": "Open"}')
    editor.send_button.click()
    answer(inspecting.qtbot, yes=False)
    inspecting.qtbot.waitUntil(lambda: "Not sent" in editor.outcome.text(), timeout=WAIT_MS)
    assert "you chose not to send this PUT to Acme" in editor.outcome.text()
    assert editor.last_sent is read
    assert [r.method for r in inspecting.emulator.requests] == ["POST", "GET"]  # sign-in, read
