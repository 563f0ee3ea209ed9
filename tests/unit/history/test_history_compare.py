"""compare(): two exchanges side by side, in the terms a support person reads them."""

from __future__ import annotations

import json

from history_samples import make_exchange

from crmdesk.history import Change, HeaderDifference, JsonDifference, compare
from crmdesk.history.compare import MAX_CHANGES, MAX_DEPTH, compare_bodies


def body(value: object) -> bytes:
    return json.dumps(value).encode()


def test_the_same_exchange_compares_the_same() -> None:
    comparison = compare(make_exchange(1), make_exchange(1))
    assert comparison.same
    assert comparison.status is None
    assert comparison.response_body.kind == "same"


def test_status_method_and_url_changes_are_pairs_of_old_and_new() -> None:
    a = make_exchange(1)
    b = make_exchange(1, method="PUT", url=a.url + "?x=1", status=None, error="timed out")
    comparison = compare(a, b)
    assert comparison.method == ("GET", "PUT")
    assert comparison.url == (a.url, a.url + "?x=1")
    assert comparison.status == (200, None)
    assert not comparison.same


def test_header_names_compare_without_case_and_repeats_join() -> None:
    a = make_exchange(
        1,
        response_headers=(("Content-Type", "application/json"), ("X-Rate", "10"), ("Vary", "a")),
    )
    b = make_exchange(
        1,
        response_headers=(
            ("content-type", "application/json"),
            ("x-rate", "9"),
            ("Set-Cookie", "[REDACTED]"),
            ("Vary", "a"),
        ),
    )
    assert compare(a, b).response_headers == (
        HeaderDifference("X-Rate", Change.CHANGED, "10", "9"),
        HeaderDifference("Set-Cookie", Change.ADDED, None, "[REDACTED]"),
    )
    joined = make_exchange(1, request_headers=(("Accept", "a"), ("accept", "b")))
    single = make_exchange(1, request_headers=(("Accept", "a, b"),))
    assert compare(joined, single).request_headers == ()
    gone = compare(a, make_exchange(1, response_headers=()))
    assert HeaderDifference("Vary", Change.REMOVED, "a", None) in gone.response_headers


def test_json_bodies_differ_by_path() -> None:
    old = {
        "Entity": [{"Name": "Heidi", "City": "Köln"}, {"Name": "Jo"}, {"Name": "Al"}],
        "Total Records": "3",
        "meta": {"page": 1, "flags": [True, 1]},
    }
    new = {
        "Entity": [{"Name": "Heidi", "City": "Bonn", "Zip": "53111"}, {"Name": "Jo"}],
        "Total Records": "2",
        "meta": {"page": 1.0, "flags": [1, 1]},
        "extra": None,
    }
    result = compare_bodies(body(old), body(new))
    assert result.kind == "json"
    assert list(result.changes) == [
        JsonDifference("$.Entity[0].City", Change.CHANGED, "Köln", "Bonn"),
        JsonDifference("$.Entity[0].Zip", Change.ADDED, None, "53111"),
        JsonDifference("$.Entity[2]", Change.REMOVED, {"Name": "Al"}, None),
        JsonDifference('$["Total Records"]', Change.CHANGED, "3", "2"),
        # true and 1 differ in JSON; 1 and 1.0 are one number.
        JsonDifference("$.meta.flags[0]", Change.CHANGED, True, 1),
        JsonDifference("$.extra", Change.ADDED, None, None),
    ]


def test_json_that_differs_only_in_spacing_or_key_order_is_the_same() -> None:
    assert compare_bodies(b'{"a": 1, "b": [1, 2]}', b'{"b":[1,2],"a":1}').kind == "same"


def test_text_bodies_get_a_line_diff() -> None:
    result = compare_bodies(b"status=0\nname=Heidi\n", b"status=1\nname=Heidi\n")
    assert result.kind == "text"
    assert "-status=0" in result.lines
    assert "+status=1" in result.lines
    assert compare_bodies(b"", b'{"a": 1}').kind == "text"  # an empty body is not JSON


def test_binary_bodies_only_say_that_they_differ() -> None:
    assert compare_bodies(b"\x00\x01", b"\x00\x02").kind == "binary"
    assert compare_bodies(b"\xff\xfe", b"text").kind == "binary"


def test_deep_and_wide_bodies_stay_bounded() -> None:
    # Deeper than Python recursion goes: compared as lines, never a RecursionError.
    deep = compare_bodies(b"[" * 5000 + b"1" + b"]" * 5000, b"[" * 5000 + b"2" + b"]" * 5000)
    assert deep.kind == "text"
    value_a: object = 1
    value_b: object = 2
    for _ in range(MAX_DEPTH + 5):
        value_a, value_b = {"k": value_a}, {"k": value_b}
    (change,) = compare_bodies(body(value_a), body(value_b)).changes
    assert change.path == "$" + ".k" * MAX_DEPTH  # the rest of the tree as one value
    assert change.change is Change.CHANGED
    wide = compare_bodies(body(list(range(5000))), body([n + 1 for n in range(5000)]))
    assert wide.cut
    assert len(wide.changes) == MAX_CHANGES
    assert wide.changes[0] == JsonDifference("$[0]", Change.CHANGED, 0, 1)
