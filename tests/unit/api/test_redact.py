"""The Redactor removes secrets by name and by value, wherever they appear."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from crmdesk.api import REDACTED, Redactor


def test_secret_headers_are_redacted_by_name() -> None:
    redactor = Redactor()
    headers = redactor.headers(
        [("Authorization", "Bearer abc"), ("client_secret", "s"), ("Accept", "application/json")]
    )
    assert headers == (
        ("Authorization", REDACTED),
        ("client_secret", REDACTED),
        ("Accept", "application/json"),
    )


def test_known_secret_values_are_redacted_anywhere() -> None:
    redactor = Redactor(secrets=["hunter2-secret"])
    url = redactor.url("https://x.example/api?q=hunter2-secret&page=2")
    assert "hunter2" not in url
    assert "page=2" in url
    body = redactor.body(b'{"echo": "you sent hunter2-secret"}')
    assert b"hunter2" not in body


def test_url_encoded_and_json_escaped_forms_are_caught() -> None:
    secret = 'p@ss/w"rd&1'
    redactor = Redactor(secrets=[secret])
    assert "p%40ss" not in redactor.url("https://x/?a=p%40ss%2Fw%22rd%261")
    escaped = json.dumps({"note": secret})
    assert "p@ss" not in redactor.body(escaped.encode()).decode()


def test_tokens_added_later_are_redacted_from_then_on() -> None:
    redactor = Redactor()
    assert redactor.text("token is tok-123456") == "token is tok-123456"
    redactor.add_secret("tok-123456")
    assert redactor.text("token is tok-123456") == f"token is {REDACTED}"


def test_json_and_form_bodies_are_redacted_by_key_name() -> None:
    redactor = Redactor(extra_names=["ai_login_id"])
    body = redactor.body(b'{"token": "abc", "user": {"password": "pw"}, "name": "Heidi"}')
    data = json.loads(body)
    assert data == {"token": REDACTED, "user": {"password": REDACTED}, "name": "Heidi"}
    form = redactor.body(b"ai_command=ping&ai_login_id=me&ai_login_password=pw")
    assert form == f"ai_command=ping&ai_login_id={REDACTED}&ai_login_password={REDACTED}".encode()


def test_malformed_json_still_loses_its_secret_keys() -> None:
    redactor = Redactor()
    body = redactor.body(b'{"token": "abcdef", "name": "x"')
    assert b"abcdef" not in body
    assert b'"name": "x"' in body


def test_short_values_are_not_replaced_everywhere() -> None:
    # A four-letter password must not blank out every "kim" in a list of owners.
    redactor = Redactor(secrets=["kim"])
    assert redactor.text("owner: kim") == "owner: kim"


@given(
    secret=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=6, max_size=40),
    prefix=st.text(max_size=20),
    suffix=st.text(max_size=20),
)
def test_a_known_secret_never_survives_in_text(secret: str, prefix: str, suffix: str) -> None:
    redactor = Redactor(secrets=[secret])
    assert secret not in redactor.text(prefix + secret + suffix).replace(REDACTED, "\0")
