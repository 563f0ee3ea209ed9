"""The push protocols read and answered exactly as seed 004 and API-NOTES §4 and §5 say."""

from __future__ import annotations

import json

import pytest

from crmdesk.inbox.protocol import (
    MAX_DEPTH,
    REPEAT_WINDOW,
    AnswerMode,
    ProtocolError,
    RecordLink,
    authenticate_answer,
    md5_answer,
    read_aicore,
    read_webhook,
)


def _body(document: object) -> bytes:
    return json.dumps(document).encode()


# Computed outside Python (`printf '...' | md5sum`), so a shared misreading cannot hide here.
@pytest.mark.parametrize(
    ("login_id", "password", "key", "expected"),
    [
        ("apiuser", "APIuser123", "0123456789abcdefg", "8f3a4830f39f4ae665d3050123aa59bc"),
        ("gérant€", "-pässwörd", "12345678abcdefgh", "d0bc8f74a692bdf4a42d6d21ad710877"),
    ],
)
def test_the_md5_answer_is_id_password_key_in_utf8_lower_hex(
    login_id: str, password: str, key: str, expected: str
) -> None:
    assert md5_answer(login_id, password, key) == expected


def test_key_mode_answers_with_the_hash_and_never_the_password() -> None:
    answer, used = authenticate_answer(AnswerMode.KEY, "apiuser", "APIuser123", "0123456789abcdefg")
    assert answer == {
        "ai_login_id": "apiuser",
        "ai_login_password": "8f3a4830f39f4ae665d3050123aa59bc",
    }
    assert used is AnswerMode.KEY


def test_key_mode_without_a_key_says_so_instead_of_sending_the_password() -> None:
    with pytest.raises(ProtocolError, match="no key"):
        authenticate_answer(AnswerMode.KEY, "apiuser", "APIuser123", None)


def test_plain_mode_sends_the_password_only_when_the_site_sends_no_key() -> None:
    assert authenticate_answer(AnswerMode.PLAIN, "apiuser", "pw", None) == (
        {"ai_login_id": "apiuser", "ai_login_password": "pw"},
        AnswerMode.PLAIN,
    )
    answer, used = authenticate_answer(AnswerMode.PLAIN, "apiuser", "pw", "k")
    assert used is AnswerMode.KEY
    assert answer["ai_login_password"] == md5_answer("apiuser", "pw", "k")


def test_passive_mode_answers_ok_with_or_without_a_key() -> None:
    for key in (None, "k"):
        assert authenticate_answer(AnswerMode.PASSIVE, "id", "pw", key) == (
            {"status": "OK"},
            AnswerMode.PASSIVE,
        )


def test_the_seed_examples_read() -> None:
    auth = read_aicore(b'{"request":"authenticate","key":"0123456789abcdefg"}')
    assert (auth.request, auth.key) == ("authenticate", "0123456789abcdefg")
    assert read_aicore(b'{"request":"authenticate"}').key is None
    delivery = read_aicore(
        b'{"request":"delivery","messages":[{"type":"generic","data":"Hello World"},'
        b'{"type":"new_user","data":{"first_name":"John","last_name":"Doe"}}]}'
    )
    generic, new_user = delivery.messages
    assert (generic.type, generic.data, generic.summary) == (
        "generic",
        "Hello World",
        "Hello World",
    )
    assert new_user.data == {"first_name": "John", "last_name": "Doe"}
    assert new_user.summary == "New user John Doe"
    assert read_aicore(b'{"request":"delivery"}').messages == ()


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"", "not JSON"),
        (b"request=delivery", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'"delivery"', "not a JSON object"),
        (b"{}", "no 'request'"),
        (b'{"request": "notify"}', "unknown request"),
        (b'{"request": 7}', "unknown request"),
        (b'{"request": "authenticate", "key": ["k"]}', "key must be a string"),
        (b'{"request": "delivery", "messages": {"type": "generic"}}', "must be an array"),
        (b'{"request": "delivery", "messages": ["hi"]}', "message 0 is not an object"),
        (b'{"request": "delivery", "messages": [{"data": "x"}]}', "message 0 has no type"),
        (b'{"request": "delivery", "messages": [{"type": "", "data": "x"}]}', "no type"),
        (b'{"request": "delivery", "messages": [{"type": "generic"}]}', "has no data"),
        (b'{"request": "delivery", "messages": [{"type": "g", "data": NaN}]}', "not JSON"),
        (
            b'{"request": "delivery", "messages": [{"type": "g", "data": 1' + b"0" * 5000 + b"}]}",
            "not JSON",
        ),
        (b"\xff\xfe{\x00}", "not UTF-8"),
    ],
)
def test_what_is_not_the_protocol_is_refused_in_words(body: bytes, words: str) -> None:
    with pytest.raises(ProtocolError, match=words):
        read_aicore(body)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 100_000])
def test_deep_nesting_is_refused_without_recursing(depth: int) -> None:
    data = "[" * depth + "]" * depth
    body = ('{"request":"delivery","messages":[{"type":"g","data":' + data + "}]}").encode()
    with pytest.raises(ProtocolError, match="nested deeper"):
        read_aicore(body)


def test_nesting_within_the_limit_is_kept() -> None:
    data = "[" * (MAX_DEPTH - 4) + "]" * (MAX_DEPTH - 4)
    body = ('{"request":"delivery","messages":[{"type":"g","data":' + data + "}]}").encode()
    assert len(read_aicore(body).messages) == 1


def test_a_declared_charset_reads_what_is_not_utf8() -> None:
    body = '{"request":"delivery","messages":[{"type":"generic","data":"Café"}]}'.encode("latin-1")
    with pytest.raises(ProtocolError):
        read_aicore(body)
    assert read_aicore(body, "iso-8859-1").messages[0].data == "Café"
    with pytest.raises(ProtocolError):
        read_aicore(body, "no-such-charset")


def test_a_lone_surrogate_is_stored_escaped_not_lost() -> None:
    message = read_aicore(
        b'{"request":"delivery","messages":[{"type":"generic","data":"a\\ud800b"}]}'
    ).messages[0]
    message.data_json.encode("utf-8")  # storable
    assert json.loads(message.data_json) == "a\ud800b"
    message.summary.encode("utf-8")


def test_the_same_type_and_data_make_the_same_key_whatever_the_order_of_fields() -> None:
    first = read_aicore(b'{"request":"delivery","messages":[{"type":"m","data":{"a":1,"b":2}}]}')
    again = read_aicore(b'{"request":"delivery","messages":[{"data":{"b":2,"a":1},"type":"m"}]}')
    other = read_aicore(b'{"request":"delivery","messages":[{"type":"n","data":{"a":1,"b":2}}]}')
    assert first.messages[0].dedupe_key == again.messages[0].dedupe_key
    assert first.messages[0].dedupe_key != other.messages[0].dedupe_key
    assert first.messages[0].repeat_window == REPEAT_WINDOW


def test_user_messages_link_to_the_user() -> None:
    delivery = read_aicore(
        _body(
            {
                "request": "delivery",
                "messages": [
                    {"type": "new_user", "data": {"user_id": 121, "first_name": "Jo"}},
                    {"type": "membership", "data": {"status": "blocked", "user_id": "7"}},
                    {"type": "generic", "data": "user 7 did something"},
                ],
            }
        )
    )
    links = [m.link for m in delivery.messages]
    assert links == [RecordLink("users", "121"), RecordLink("users", "7"), None]
    assert delivery.messages[1].summary == "Membership blocked for user #7"


def test_a_webhook_is_keyed_by_its_webhook_id_and_links_its_contact() -> None:
    payload = {
        "type": "contact_opened_message",
        "contact": {"contactId": "pV3r", "email": "ann@example.com", "name": "Ann"},
        "event": {"occurredAt": "2024-05-01T10:00:00+00:00"},
    }
    headers = {
        "X-Webhook-ID": "w-1",
        "X-Webhook-Type": "contact_opened_message",
        "X-Request-ID": "r-1",
    }
    message = read_webhook(_body(payload), headers)
    assert message.type == "contact_opened_message"
    assert message.dedupe_key == "webhook-id:w-1"
    assert message.repeat_window is None
    assert message.link == RecordLink("contacts", "pV3r")
    assert message.summary == "contact_opened_message: Ann <ann@example.com>"
    assert message.meta == headers
    # Another try of the same webhook has a new request id but the same key.
    retry = read_webhook(_body(payload), {**headers, "X-Request-ID": "r-2"})
    assert retry.dedupe_key == message.dedupe_key


def test_a_webhook_without_an_id_is_keyed_by_its_content_for_a_day() -> None:
    message = read_webhook(b'{"contact": {}}', {"X-Webhook-Type": "contact_subscribed"})
    assert message.type == "contact_subscribed"
    assert message.repeat_window == REPEAT_WINDOW
    assert not message.dedupe_key.startswith("webhook-id:")
    with pytest.raises(ProtocolError, match="no type"):
        read_webhook(b'{"contact": {}}', {})
