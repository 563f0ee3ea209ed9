"""The details of one call, each body in the view it suits: JSON pretty and as a tree,
URL-encoded pairs as a table, HTML and text as they are, binary as hex; no reply in words;
and the commands copied from it, secrets redacted."""

from __future__ import annotations

import json
import time

import pytest

from PySide6.QtGui import QGuiApplication

from crmdesk.api import BODY_KEEP_BYTES, Exchange, new_exchange_id
from crmdesk.ui.inspector.body import View
from crmdesk.ui.inspector.pairs import PairsModel
from crmdesk.ui.inspector.share import Format
from crmdesk.ui.inspector.tree import JsonTreeModel


def exchange(
    body: bytes,
    content_type: str,
    *,
    request_body: bytes = b"",
    status: int | None = 200,
    **changes: object,
) -> Exchange:
    fields: dict[str, object] = {
        "id": new_exchange_id(),
        "connection_id": "p1",
        "connection": "Dealer site",
        "method": "POST" if request_body else "GET",
        "url": "https://dealer.example/service?x=1",
        "request_headers": (
            ("Authorization", "[REDACTED]"),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ),
        "request_body": request_body,
        "request_size": len(request_body),
        "started_at": time.time(),
        "elapsed_ms": 42.0,
        "status": status,
        "reason": "OK" if status == 200 else "",
        "response_headers": (("Content-Type", content_type),) if status else (),
        "response_body": body,
        "response_size": len(body),
    }
    fields.update(changes)
    return Exchange(**fields)  # type: ignore[arg-type]


@pytest.fixture
def inspector(make_window):
    window = make_window()
    window.show()
    return window, window.inspector


def shown(inspector, item: Exchange):
    window, dock = inspector
    window.show_exchange(item)
    assert dock.details.exchange is item
    assert dock.current_row().id == item.id
    return dock.details


def test_json_is_pretty_printed_and_a_tree(inspector, qtmodeltester) -> None:
    data = {"Entity": [{"ExternalID": "L1", "Tags": ["a", "b"]}, {"ExternalID": "L2"}], "n": 2}
    details = shown(inspector, exchange(json.dumps(data).encode(), "application/json"))
    response = details.response
    assert response.views() == [View.PRETTY, View.TREE, View.RAW, View.HEADERS]
    assert response.current_view is View.PRETTY
    assert response.pretty.toPlainText() == json.dumps(data, indent=2)
    response.show_view(View.TREE)
    model = response.tree_model
    qtmodeltester.check(model)
    top = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert top == ["Entity", "n"]
    entity = model.index(0, 0)
    assert model.index(0, 1).data() == "[2 items]"
    assert model.index(0, 2).data() == "array"
    first = model.index(0, 0, entity)
    assert first.data() == "[0]"
    tags = model.index(1, 0, first)
    assert (tags.data(), model.index(1, 1, first).data()) == ("Tags", "[2 items]")
    assert model.index(1, 1, tags).data() == '"b"'
    assert response.tree.isExpanded(entity)  # the top level opens by itself
    # The view picked is kept for the next call that has it.
    details = shown(inspector, exchange(b'{"ok": true}', "application/json"))
    assert details.response.current_view is View.TREE


def test_url_encoded_pairs_are_a_table(inspector, qtmodeltester) -> None:
    reply = b"status=0&status_message=Lead+saved&lead_id=1001"
    sent = b"ai_login_id=me&ai_login_password=%5BREDACTED%5D&ai_command=lead_set"
    details = shown(inspector, exchange(reply, "text/plain", request_body=sent))
    assert details.response.views()[0] is View.PAIRS
    pairs = details.response.pairs_model
    qtmodeltester.check(pairs)
    assert pairs.pairs == [("status", "0"), ("status_message", "Lead saved"), ("lead_id", "1001")]
    request_pairs = details.request.pairs_model.pairs
    assert ("ai_login_password", "[REDACTED]") in request_pairs
    assert details.request.headers_model.pairs[0] == ("Authorization", "[REDACTED]")
    assert details.request.raw.toPlainText().startswith("POST https://dealer.example/service?x=1")


def test_html_and_text_are_shown_as_they_are(inspector) -> None:
    page = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    details = shown(inspector, exchange(page, "text/html", status=502))
    response = details.response
    assert response.views() == [View.TEXT, View.RAW, View.HEADERS]
    assert response.tabs.tabText(0) == "HTML"
    assert response.text.toPlainText() == page.decode()
    assert "✘ 502" in details.heading.text()
    details = shown(inspector, exchange(b"plain words", "text/plain"))
    assert details.response.tabs.tabText(0) == "Text"


def test_binary_is_hex_and_no_reply_is_said(inspector) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(40))
    details = shown(inspector, exchange(png, "image/png"))
    assert details.response.views() == [View.HEX, View.HEADERS]
    assert details.response.hex.toPlainText().startswith("00000000  89 50 4e 47 0d 0a 1a 0a")
    failed = exchange(b"", "", status=None, error="Could not connect to the server in time.")
    details = shown(inspector, failed)
    assert details.response.views() == [View.NOTHING]
    assert details.response.tabs.tabText(0) == "No reply"
    assert "Could not connect" in details.response.nothing.text()
    assert "✘ Could not connect to the server in time." in details.heading.text()


def test_a_body_cut_to_what_is_kept_says_so(inspector) -> None:
    kept = b"x" * 2048
    item = exchange(kept, "text/plain", response_size=BODY_KEEP_BYTES * 3)
    details = shown(inspector, item)
    assert details.response.note.isVisibleTo(details)
    assert "Only the first 2 KiB of 3.0 MiB were kept" in details.response.note.text()
    assert not details.request.note.isVisibleTo(details)


def test_copy_as_commands_from_the_details(inspector) -> None:
    sent = b"ai_login_password=%5BREDACTED%5D&ai_command=ping"
    details = shown(inspector, exchange(b"status=0", "text/plain", request_body=sent))
    clipboard = QGuiApplication.clipboard()
    for fmt, start in (
        (Format.CURL, "curl 'https://dealer.example/service?x=1'"),
        (Format.HTTPIE, "http POST 'https://dealer.example/service?x=1'"),
        (Format.POWERSHELL, "$request = @{"),
        (Format.URL, "https://dealer.example/service?x=1"),
    ):
        details.copyRequested.emit(fmt)
        assert start in clipboard.text(), fmt
    details.copyRequested.emit(Format.CURL)
    assert "--data-raw 'ai_login_password=%5BREDACTED%5D&ai_command=ping'" in clipboard.text()
    assert "Secrets are shown as [REDACTED]" in clipboard.text()
    assert "Copied 1 call (curl)." in inspector[1].tools.notice.text()


def test_models_over_odd_values_pass_the_model_tester(qtmodeltester) -> None:
    deep: object = "bottom"
    for _ in range(200):  # deeper than one would nest by hand, built as it is opened
        deep = [deep]
    tree = JsonTreeModel({"deep": deep, "empty": {}, "none": None, "long": "y" * 1000})
    qtmodeltester.check(tree)
    assert tree.rowCount(tree.index(1, 0)) == 0
    assert not tree.hasChildren(tree.index(1, 0))
    assert tree.index(3, 1).data().endswith("…")
    pairs = PairsModel()
    pairs.set_pairs([("a", "1"), ("long", "z" * 900)])
    qtmodeltester.check(pairs)
