"""No form of a secret survives anywhere crmdesk shows or writes an exchange.

Generated secrets (printable, unicode, with quotes, &, =, +, %, spaces) go out through the
real Transport in headers, form fields, JSON bodies and query strings, and come back echoed
in JSON and URL-encoded replies and in error text; then the exchanges, their text, HAR,
curl, HTTPie, PowerShell and the history file on disk are searched for any form of them.
Secrets shorter than the Redactor's MIN_VALUE_LENGTH are removed by name only (by design: a
four-letter password must not blank out every word it happens to be), so they are tested
by name, in the places that are named.
"""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from redaction_scenarios import USER, forms_of, leaks, record, shown_texts, stored_bytes

from crmdesk.api import REDACTED
from crmdesk.api.redact import MIN_VALUE_LENGTH
from crmdesk.api.transport import Transport

SPECIAL = list("'\"&=+% \\/?#;:,<>{}[]@!$")
UNICODE = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"))
SECRETS = st.text(alphabet=st.one_of(UNICODE, st.sampled_from(SPECIAL)), min_size=6, max_size=24)
# Header values go out as ISO-8859-1 and lose surrounding spaces: printable ASCII inside.
HEADER_SECRETS = st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=6, max_size=24
)
SHORT = st.text(
    alphabet=st.one_of(UNICODE, st.sampled_from(SPECIAL)), min_size=1, max_size=MIN_VALUE_LENGTH - 1
)

PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def baseline() -> tuple[str, bytes]:
    """What every scenario shows and stores with a secret nobody would pick: a secret found
    in here is part of crmdesk's own words (or the file's structure), not a leak."""
    secret = "Zq9xW2vK7pL4"
    shown: list[str] = []
    stored = b""
    for scenario in SCENARIOS.values():
        exchanges, messages = asyncio.run(record(secret, scenario(secret)))
        shown += shown_texts(exchanges, messages).values()
        stored += asyncio.run(stored_bytes(exchanges))
    return "\n".join(shown), stored


def usable(secret: str) -> bool:
    assert _BASELINE is not None
    text, stored = _BASELINE
    return (
        len(set(secret.strip())) >= 3
        and secret.strip() == secret
        and not any(form in text or form.encode() in stored for form in forms_of(secret))
    )


def headers_scenario(secret: str) -> Any:
    basic = base64.b64encode(f"{USER}:{secret}".encode()).decode()

    def calls(t: Transport) -> list[Any]:
        return [
            t.request("GET", "lead", headers={"Authorization": f"Bearer {secret}"}),
            t.request("GET", "lead", headers={"Authorization": f"Basic {basic}"}),
            t.request("GET", "contacts", headers={"X-Auth-Token": f"api-key {secret}"}),
            t.request("GET", "lead", headers={"X-Api-Key": secret, "X-Other": secret}),
        ]

    return calls


def form_scenario(secret: str) -> Any:
    def calls(t: Transport) -> list[Any]:
        form = {
            "ai_command": "ping",
            "ai_login_password": secret,
            "apikey": secret,
            "password": secret,
            "note": secret,
        }
        return [
            t.request("POST", "service/form", form=form),
            t.request("POST", "service/form", form={"echo": secret}),
        ]

    return calls


def json_scenario(secret: str) -> Any:
    def calls(t: Transport) -> list[Any]:
        bodies: list[Any] = [
            {"password": secret, "Name": "Heidi"},
            {"user": {"client_secret": secret, "tags": [{"token": secret}]}},
            {"note": secret, "list": [secret, {"deep": [secret]}]},
        ]
        return [
            t.request("POST", path, json_body=body)
            for body in bodies
            for path in ("lead", "lead/unicode")
        ]

    return calls


def query_scenario(secret: str) -> Any:
    def calls(t: Transport) -> list[Any]:
        return [
            t.request("GET", "lead", params={"apikey": secret, "page": "2"}),
            t.request("GET", "lead/unicode", params={"q": secret}),
            t.request("GET", "lead/form", params={"search": secret}),
        ]

    return calls


def error_scenario(secret: str) -> Any:
    def calls(t: Transport) -> list[Any]:
        return [
            t.request("GET", "plain-error", params={"apikey": secret}),
            t.request("GET", "down", params={"q": secret}),
        ]

    return calls


def failing_handler(secret: str) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/down"):
            raise httpx.ConnectError(f"cannot reach {request.url}", request=request)
        from redaction_scenarios import echo_everything

        return echo_everything(request, secret)

    return handler


SCENARIOS = {
    "headers": headers_scenario,
    "form": form_scenario,
    "json": json_scenario,
    "query": query_scenario,
    "error": error_scenario,
}
_BASELINE: tuple[str, bytes] | None = None


def check(secret: str, scenario: str) -> None:
    global _BASELINE
    if _BASELINE is None:
        _BASELINE = baseline()
    assume(usable(secret))
    handler = failing_handler(secret) if scenario == "error" else None
    exchanges, messages = asyncio.run(record(secret, SCENARIOS[scenario](secret), handler))
    assert exchanges
    assert leaks(secret, exchanges, messages) == []


@PROPERTY
@given(secret=HEADER_SECRETS)
def test_secrets_in_request_headers_never_survive(secret: str) -> None:
    check(secret, "headers")


@PROPERTY
@given(secret=SECRETS)
def test_secrets_in_form_fields_and_url_encoded_replies_never_survive(secret: str) -> None:
    check(secret, "form")


@PROPERTY
@given(secret=SECRETS)
def test_secrets_in_json_bodies_never_survive(secret: str) -> None:
    check(secret, "json")


@PROPERTY
@given(secret=SECRETS)
def test_secrets_in_query_strings_never_survive(secret: str) -> None:
    check(secret, "query")


@PROPERTY
@given(secret=SECRETS)
def test_secrets_in_error_text_never_survive(secret: str) -> None:
    check(secret, "error")


# -- short secrets: by name --------------------------------------------------------------


@PROPERTY
@given(
    secret=SHORT,
    header=st.text(
        alphabet=st.characters(min_codepoint=33, max_codepoint=126),
        min_size=1,
        max_size=MIN_VALUE_LENGTH - 1,
    ),
)
def test_short_secrets_are_removed_where_they_are_named(secret: str, header: str) -> None:
    def quiet(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"token": secret, "ok": True})

    def calls(t: Transport) -> list[Any]:
        return [
            t.request(
                "POST",
                "lead",
                params={"apikey": secret, "page": "2"},
                json_body={"password": secret, "user": {"client_secret": secret}},
                headers={"Authorization": header, "X-Api-Key": header},
            ),
            t.request("POST", "service", form={"ai_login_password": secret, "x": "1"}),
            t.request("POST", "login", json_body={}, reply_has_secrets=True),
        ]

    exchanges, _ = asyncio.run(record(secret, calls, quiet))
    first, form, login = exchanges
    assert dict(parse_qsl(urlsplit(first.url).query))["apikey"] == REDACTED
    assert first.request_header("authorization") == REDACTED
    assert first.request_header("x-api-key") == REDACTED
    sent = json.loads(first.request_body)
    assert sent == {"password": REDACTED, "user": {"client_secret": REDACTED}}
    assert dict(parse_qsl(form.request_body.decode()))["ai_login_password"] == REDACTED
    assert json.loads(login.response_body)["token"] == REDACTED
    har = as_har_entries(exchanges)
    assert {"name": "apikey", "value": REDACTED} in har[0]["request"]["queryString"]


def as_har_entries(exchanges: list[Any]) -> list[Any]:
    from crmdesk.history import as_har

    return list(as_har(exchanges)["log"]["entries"])
