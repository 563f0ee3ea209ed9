"""parse_curl reads what people paste: browsers' "Copy as cURL" in bash and cmd.exe flavours,
hand-written commands, and crmdesk's own; every secret in them is removed on the way in."""

from __future__ import annotations

import base64

import pytest

from crmdesk.api import RawRequest
from crmdesk.history import parse_curl
from crmdesk.history.imported import ImportedEntry

# As Chrome's "Copy as cURL (bash)" writes it: $'...' for a body with a quote or a "!".
CHROME_BASH = r"""curl 'https://crm.example/api/v1/lead/77' \
  -X 'PUT' \
  -H 'accept: application/json' \
  -H 'authorization: Bearer chrome-token-0123456789' \
  -H 'content-type: application/json' \
  --data-raw $'{"Name":"O\'Brien","Note":"caf\u00e9 \u0021 done\\n"}' \
  --compressed"""

# As Chrome's "Copy as cURL (cmd)" writes it: ^ escapes and ^ line continuations.
CHROME_CMD = (
    'curl ^"https://crm.example/api/v1/lead?page=2^" ^\n'
    '  -H ^"accept: */*^" ^\n'
    '  -H ^"x-auth-token: api-key cmd-secret-key-4242^" ^\n'
    '  --data-raw ^"^{^\\^"a^\\^":1^}^" ^\n'
    "  --compressed"
)


def test_chromes_bash_copy_as_curl() -> None:
    request = parse_curl(CHROME_BASH)
    assert request.method == "PUT"
    assert request.url == "https://crm.example/api/v1/lead/77"
    assert request.header("authorization") == "[REDACTED]"
    assert request.header("content-type") == "application/json"
    assert request.body == '{"Name":"O\'Brien","Note":"café ! done\\n"}'.encode()


def test_chromes_cmd_copy_as_curl() -> None:
    request = parse_curl(CHROME_CMD)
    assert request.method == "POST"  # a body and no -X: curl posts
    assert request.url == "https://crm.example/api/v1/lead?page=2"
    assert request.header("x-auth-token") == "[REDACTED]"
    assert request.body == b'{"a":1}'


def test_a_hand_written_command_with_the_usual_options() -> None:
    request = parse_curl(
        "curl -sSL -k --url https://aicore.example/service \\\n"
        "  -d ai_command=ping -d 'ai_login_id=heidi' --data-urlencode 'note=a b&c' \\\n"
        "  -A 'my tool/1.0' -e https://crm.example/ -b 'theme=dark' -o /dev/null -m 30"
    )
    assert request == RawRequest(
        "POST",
        "https://aicore.example/service",
        (
            ("User-Agent", "my tool/1.0"),
            ("Referer", "https://crm.example/"),
            ("Cookie", "[REDACTED]"),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ),
        b"ai_command=ping&ai_login_id=heidi&note=a+b%26c",
    )


def test_get_moves_the_data_into_the_query_and_head_asks_for_headers() -> None:
    request = parse_curl("curl -G https://crm.example/lead -d page=2 -d per_page=50")
    assert (request.method, request.url, request.body) == (
        "GET",
        "https://crm.example/lead?page=2&per_page=50",
        b"",
    )
    assert parse_curl("curl -I https://crm.example/").method == "HEAD"
    assert parse_curl("curl -XDELETE crm.example/lead/7").url == "http://crm.example/lead/7"


def test_json_sets_its_content_type_and_accept() -> None:
    request = parse_curl("""curl --json '{"a": 1}' https://crm.example/lead""")
    assert request.header("content-type") == "application/json"
    assert request.header("accept") == "application/json"
    assert request.body == b'{"a": 1}'


def test_empty_and_removed_headers_follow_curls_rules() -> None:
    request = parse_curl("curl https://x.example/ -H 'X-Empty;' -H 'Accept:' -H 'X-A: 1'")
    assert request.headers == (("X-Empty", ""), ("X-A", "1"))


def test_user_and_password_become_a_basic_header_that_is_redacted() -> None:
    request = parse_curl(
        "curl -u 'heidi:pa55-w0rd-long' 'https://crm.example/api?note=pa55-w0rd-long'"
    )
    assert request.header("authorization") == "[REDACTED]"
    # The password found in the header is removed wherever else it appears.
    assert request.url == "https://crm.example/api?note=[REDACTED]"


@pytest.mark.parametrize(
    "command",
    [
        "curl 'https://x.example/?apikey=k3y-value-123' -d 'token=t0ken-value-456&x=1'",
        "curl https://x.example/ -H 'Cookie: sid=s3ssion-cookie-789' --data-raw "
        """'{"user": {"password": "k3y-value-123"}, "echo": "k3y-value-123 s3ssion-cookie-789"}'""",
        "curl https://x.example/ -H 'X-Api-Key: k3y-value-123' -d 'echo=k3y-value-123'",
        "curl https://x.example/ -H 'Authorization: Basic "
        + base64.b64encode(b"heidi:k3y-value-123").decode()
        + "' -d 'echo=k3y-value-123'",
    ],
)
def test_no_secret_in_a_pasted_command_survives(command: str) -> None:
    request = parse_curl(command)
    everything = repr(request)
    for secret in ("k3y-value-123", "t0ken-value-456", "s3ssion-cookie-789"):
        assert secret not in everything
    assert "[REDACTED]" in everything


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("wget https://x.example/", "not a curl command"),
        ("curl", "no URL"),
        ("curl https://a.example/ https://b.example/", "2 URLs"),
        ("curl https://x.example/ --frobnicate", "--frobnicate"),
        ("curl https://x.example/ -Z9", "does not know"),
        ("curl https://x.example/ -F file=@a.txt", "multipart"),
        ("curl https://x.example/ -d @body.json", "body.json"),
        ("curl https://x.example/ -H", "needs a value"),
        ("curl 'https://x.example/", "never closed"),
        ("curl https://x.example/ && rm -rf /", "one curl command"),
        ('curl https://x.example/ -H "X: $(whoami)"', "paste it as text"),
        ("curl https://x.example/ -H 'no colon here'", "no ':'"),
        ("cat body | curl https://x.example/ -d @-", "printf"),
    ],
)
def test_what_cannot_be_read_is_refused_in_words(command: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse_curl(command)


def test_a_body_piped_from_printf_or_echo_is_read() -> None:
    assert parse_curl("printf 'a\\000b%%' | curl https://x.example/ --data-binary @-").body == (
        b"a\x00b%"
    )
    assert parse_curl("echo -n 'hi' | curl https://x.example/ -d @-").body == b"hi"


def test_comments_and_a_leading_curl_exe_are_fine() -> None:
    request = parse_curl("# from the ticket\ncurl.exe https://x.example/ping  # pasted")
    assert request == RawRequest("GET", "https://x.example/ping")


def test_an_imported_command_becomes_an_entry_to_look_at() -> None:
    request = parse_curl("curl https://x.example/ping")
    entry = ImportedEntry.from_request(request, "a curl command")
    assert entry.request is request
    assert entry.exchange.url == request.url
    assert entry.exchange.status is None
    assert entry.exchange.outcome == "Not sent: imported from a curl command."
