"""HAR export is valid HAR 1.2 that Chrome and Firefox open; HAR import reads what Chrome,
Firefox, Insomnia and crmdesk write, and round trips crmdesk's own exactly."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from history_samples import make_exchange, realistic_exchanges
from hypothesis import given, settings
from hypothesis import strategies as st

from crmdesk.api import Exchange, full_text
from crmdesk.history import as_har, read_har

FIXTURES = Path(__file__).with_name("fixtures")
SCHEMA = json.loads((FIXTURES / "har-1.2.schema.json").read_text())


def check_har(document: dict[str, Any]) -> None:
    """Valid HAR 1.2, plus what the spec says and a schema cannot, plus what the two
    developer tools' importers need beyond the spec."""
    jsonschema.Draft7Validator(SCHEMA).validate(document)
    log = document["log"]
    # Firefox (devtools/client/netmonitor/src/har/har-importer.js) reads log.pages and
    # entry.cache.afterRequest without checking that they exist.
    assert isinstance(log["pages"], list)
    for entry in log["entries"]:
        timings = entry["timings"]
        total = sum(v for k, v in timings.items() if not k.startswith("_") and v >= 0)
        assert entry["time"] == pytest.approx(total)  # the spec: time is the sum of timings
        assert isinstance(entry["cache"], dict)
        # Chrome (front_end/models/har/HARFormat.ts) turns a missing postData.text into the
        # text "undefined", and needs content and timings to be objects.
        if "postData" in entry["request"]:
            assert isinstance(entry["request"]["postData"]["text"], str)
        assert isinstance(entry["response"]["content"], dict)
    json.dumps(document, allow_nan=False)  # JSON that any reader accepts


def varied_exchanges() -> list[Exchange]:
    return [
        make_exchange(1),
        make_exchange(
            2,
            method="POST",
            url="https://aicore.example/service?x=[REDACTED]",
            request_headers=(("content-type", "application/x-www-form-urlencoded"),),
            request_body=b"ai_command=ping&ai_login_password=[REDACTED]&note=a+b",
            request_size=53,
            response_headers=(("content-type", "text/plain"), ("location", "/elsewhere")),
            response_body=b"status=0",
            response_size=8,
            status=302,
            reason="Found",
        ),
        make_exchange(
            3,
            response_body=b"\x89PNG\r\n\x00\xff",
            response_size=9,
            response_headers=(("content-type", "image/png"),),
        ),
        make_exchange(
            4,
            status=None,
            reason="",
            response_headers=(),
            response_body=b"",
            response_size=0,
            error="Could not connect to the server in time.",
            elapsed_ms=None,
        ),
        make_exchange(
            5,
            method="PUT",
            request_body=b"\x00\x01binary",
            request_size=8,
            request_headers=(("content-type", "application/octet-stream"),),
        ),
        make_exchange(
            6,
            response_body=b'{"Entity": [',
            response_size=5 * 1024 * 1024,
            attempt=3,
            call_id="000000000001abababababab",
            auth=True,
            note="after the quota reset",
        ),
    ]


def test_every_har_crmdesk_writes_is_valid() -> None:
    check_har(as_har(varied_exchanges()))
    check_har(as_har(realistic_exchanges(300)))
    check_har(as_har([]))


def test_a_url_fragment_is_not_part_of_a_har_url() -> None:
    (entry,) = as_har([make_exchange(1, url="https://x.example/a?b=1#top")])["log"]["entries"]
    assert entry["request"]["url"] == "https://x.example/a?b=1"


def test_entries_carry_what_crmdesk_knows() -> None:
    entries = as_har(varied_exchanges(), comment="ticket 4711")["log"]["entries"]
    assert [e["_id"] for e in entries] == [e.id for e in varied_exchanges()]  # oldest first
    form, png, failed, binary, cut = entries[1], entries[2], entries[3], entries[4], entries[5]
    assert form["request"]["url"] == "https://aicore.example/service?x=[REDACTED]"
    assert form["request"]["queryString"] == [{"name": "x", "value": "[REDACTED]"}]
    assert {"name": "note", "value": "a b"} in form["request"]["postData"]["params"]
    assert form["response"]["redirectURL"] == "/elsewhere"
    assert png["response"]["content"]["encoding"] == "base64"
    assert failed["response"]["status"] == 0
    assert (
        failed["_error"]
        == failed["response"]["_error"]
        == "Could not connect to the server in time."
    )
    assert binary["request"]["postData"]["_encoding"] == "base64"
    assert cut["_truncated"] is True
    assert cut["response"]["content"]["size"] == 5 * 1024 * 1024
    assert (cut["_attempt"], cut["_callId"], cut["_auth"]) == (3, "000000000001abababababab", True)
    assert cut["_connection"] == "Campaign Master"
    assert cut["startedDateTime"] == "2025-06-15T15:06:46.000Z"


def test_crmdesks_own_har_reads_back_to_the_same_exchanges() -> None:
    exchanges = [*varied_exchanges(), *realistic_exchanges(200)]
    text = json.dumps(as_har(exchanges), ensure_ascii=False, indent=2)
    imported = read_har(text.encode("utf-8"))
    oldest_first = sorted(exchanges, key=lambda e: (e.started_at, e.id))
    assert [entry.exchange for entry in imported] == oldest_first
    assert all(entry.source.startswith("HAR from crmdesk") for entry in imported)
    first = imported[0]
    assert first.request.method == first.exchange.method
    assert first.request.body == first.exchange.request_body


def test_chrome_export_imports_without_its_secrets() -> None:
    entries = read_har((FIXTURES / "chrome.har").read_bytes())
    assert [e.exchange.url.split("?")[0] for e in entries] == [
        "https://crm.example/logo.png",
        "https://crm.example/api/v1/lead",
        "https://crm.example/api/v1/quota",
        "https://down.example/api/v1/lead/7",
    ]
    logo, post, quota, down = entries
    assert logo.exchange.response_body.startswith(b"\x89PNG")
    assert not any(name.startswith(":") for name, _ in post.exchange.request_headers)
    assert post.request.header("authorization") == "[REDACTED]"
    assert post.exchange.status == 201
    assert json.loads(post.request.body) == {"Name": "Heidi", "password": "[REDACTED]"}
    assert quota.exchange.response_body == b'{"message":"key [REDACTED] is over its quota"}'
    assert (down.exchange.status, down.exchange.error) == (None, "net::ERR_CONNECTION_REFUSED")
    assert post.source == "HAR from WebInspector 537.36"
    assert post.exchange.connection == "Imported: HAR from WebInspector 537.36"
    secrets = [
        "chrome-live-key-9f8e7d",
        "chrome-bearer-token-1234567890",
        "chrome-session-cookie-abcdef",
        "chrome-pw-55555",
        "chrome-new-session-xyz123",
        "chrome-reply-token-777777",
    ]
    assert_no_secret(entries, secrets)


def test_firefox_and_insomnia_exports_import_too() -> None:
    firefox = read_har((FIXTURES / "firefox.har").read_text(encoding="utf-8"))
    ping, leads = firefox
    assert ping.request.body == b"ai_command=ping&ai_login_password=[REDACTED]"
    assert ping.exchange.response_body == b"status=0&status_message=pong+[REDACTED]"
    assert ping.request.header("host") is None  # replay sets its own
    assert ping.exchange.request_header("host") == "aicore.example"  # the inspector shows it
    assert leads.request.body == b"ai_command=leads_get&page_number=2"  # from params alone
    assert ping.exchange.started_at == 1749974401.0  # 10:00:01 at +02:00
    (contacts,) = read_har((FIXTURES / "insomnia.har").read_bytes())
    assert contacts.request.header("x-auth-token") == "[REDACTED]"
    assert contacts.exchange.elapsed_ms == 120
    assert_no_secret([*firefox, contacts], ["firefox-pw-424242", "insomnia-key-31337"])


def test_the_browser_fixtures_are_valid_har_and_insomnias_is_not_quite() -> None:
    # A check on the schema as much as on the fixtures: what browsers write passes it.
    for name in ("chrome.har", "firefox.har"):
        jsonschema.Draft7Validator(SCHEMA).validate(json.loads((FIXTURES / name).read_text()))
    insomnia = json.loads((FIXTURES / "insomnia.har").read_text())
    with pytest.raises(jsonschema.ValidationError, match="settingEncodeUrl"):
        jsonschema.Draft7Validator(SCHEMA).validate(insomnia)


def assert_no_secret(entries: list[Any], secrets: list[str]) -> None:
    shown = "\n".join(full_text(e.exchange) + repr(e.exchange) + repr(e.request) for e in entries)
    for secret in secrets:
        assert secret not in shown


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\xff\xfe not utf-8", "UTF-8"),
        ("{not json", "not valid JSON"),
        ("[]", "no 'log'"),
        ('{"log": {"entries": {}}}', "no list of entries"),
        ('{"log": {"entries": [1]}}', "Entry 1 .* not an object"),
        ('{"log": {"entries": [{"request": {"method": "GET"}}]}}', "no request method or URL"),
        ('{"log": {"entries": [{}]}}', "no request"),
        ("[" * 100_000, "not valid JSON"),
    ],
)
def test_what_is_not_har_is_refused_in_words(data: str | bytes, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        read_har(data)


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
FIELDS = st.sampled_from(
    [
        "method",
        "url",
        "headers",
        "postData",
        "bodySize",
        "status",
        "content",
        "time",
        "startedDateTime",
        "_id",
        "_attempt",
        "_error",
        "text",
        "encoding",
        "params",
        "size",
    ]
)


@settings(max_examples=60, deadline=None)
@given(
    request=st.dictionaries(FIELDS, JSONISH, max_size=6),
    response=st.dictionaries(FIELDS, JSONISH, max_size=6),
    entry=st.dictionaries(FIELDS, JSONISH, max_size=4),
    creator=st.sampled_from(["crmdesk", "WebInspector"]),
)
def test_any_odd_shape_is_read_or_refused_in_words_never_a_crash(
    request: dict[str, Any], response: dict[str, Any], entry: dict[str, Any], creator: str
) -> None:
    request.setdefault("method", "GET")
    request.setdefault("url", "https://x.example/")
    document = {
        "log": {
            "creator": {"name": creator},
            "entries": [{**entry, "request": request, "response": response}],
        }
    }
    try:
        (imported,) = read_har(json.dumps(document))
    except ValueError:
        return
    full_text(imported.exchange)  # and what was read can be shown


def test_a_har_entry_cut_to_what_an_exchange_keeps() -> None:
    big = "x" * (3 * 1024 * 1024)
    document = as_har([make_exchange(1, response_body=b"", response_size=0)])
    document["log"]["entries"][0]["response"]["content"]["text"] = big
    (imported,) = read_har(json.dumps(document))
    assert imported.exchange.response_size == len(big)
    assert imported.exchange.response_truncated
    assert replace(imported.exchange, response_body=b"") is not None
