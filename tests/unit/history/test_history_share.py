"""Copy as curl, HTTPie and PowerShell: the request exactly as recorded, [REDACTED] and all.

The curl commands are run for real, by /bin/sh and the machine's curl against a server on
loopback, so the quoting is tested by the programs that read it; HTTPie commands by /bin/sh
with a stand-in `http` that reports the words it got.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from history_samples import make_exchange

from crmdesk.api import Exchange, RawRequest
from crmdesk.history import as_curl, as_httpie, as_powershell, parse_curl

TRICKY = 'O\'Brien "quoted" $HOME `date` \\ back & more; é 😀\nsecond line'


class Recorded(http.server.BaseHTTPRequestHandler):
    """Answers every request and keeps what it received."""

    received: ClassVar[list[tuple[str, str, list[tuple[str, str]], bytes]]] = []

    def _any(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length)
        Recorded.received.append((self.command, self.path, list(self.headers.items()), body))
        self.send_response(200)
        self.send_header("content-length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _any

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def run_curl(command: str) -> tuple[str, str, dict[str, str], bytes]:
    Recorded.received.clear()
    subprocess.run(
        ["sh", "-c", command + " --silent --show-error -o /dev/null"], check=True, timeout=20
    )
    ((method, path, headers, body),) = Recorded.received
    return method, path, {name.lower(): value for name, value in headers}, body


needs_curl = pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")


@needs_curl
@pytest.mark.parametrize(
    ("method", "body", "content_type"),
    [
        ("GET", b"", None),
        ("POST", json.dumps({"Name": TRICKY}, ensure_ascii=False).encode(), "application/json"),
        (
            "PUT",
            b"ai_command=lead_set&note=" + TRICKY.encode(),
            "application/x-www-form-urlencoded",
        ),
        ("DELETE", b"", None),
        ("POST", bytes(range(256)) + b"%s%%\\'", "application/octet-stream"),
        ("PATCH", b"no content type at all", None),
    ],
)
def test_curl_sends_exactly_the_recorded_request(
    server: str, method: str, body: bytes, content_type: str | None
) -> None:
    headers = [("accept", "application/json"), ("authorization", "[REDACTED]")]
    headers += [("x-note", 'it\'s "fine" $HOME')]
    if content_type:
        headers.append(("content-type", content_type))
    exchange = make_exchange(
        1,
        method=method,
        url=f"{server}/api/v1/lead?apikey=[REDACTED]&q=a%20b&name=O%27Brien",
        request_headers=(*headers, ("accept-encoding", "gzip"), ("content-length", "1")),
        request_body=body,
        request_size=len(body),
    )
    got_method, path, got_headers, got_body = run_curl(as_curl(exchange))
    assert got_method == method
    assert path == "/api/v1/lead?apikey=[REDACTED]&q=a%20b&name=O%27Brien"
    for name, value in headers:
        assert got_headers[name] == value
    assert got_body == body
    if content_type is None:
        assert "content-type" not in got_headers  # curl added none of its own


@needs_curl
def test_curl_head_requests_use_head(server: str) -> None:
    exchange = make_exchange(1, method="HEAD", url=f"{server}/ping")
    assert run_curl(as_curl(exchange))[0] == "HEAD"


def test_a_command_with_secrets_says_to_put_them_in() -> None:
    exchange = make_exchange(1)  # its authorization header is [REDACTED]
    for command in (as_curl(exchange), as_httpie(exchange), as_powershell(exchange)):
        assert command.startswith("# Secrets are shown as [REDACTED]")
        assert "[REDACTED]" in command
    clean = make_exchange(1, request_headers=(("accept", "application/json"),))
    assert not as_curl(clean).startswith("#")


def test_a_cut_body_is_said_to_be_cut() -> None:
    exchange = make_exchange(1, method="POST", request_body=b"x" * 100, request_size=5_000_000)
    assert "Only the first 100 bytes of the 4.8 MiB body" in as_curl(exchange)


@pytest.mark.parametrize(
    "exchange",
    [
        make_exchange(1),
        make_exchange(
            2,
            method="PUT",
            url="https://crm.example/api/v1/lead/7?fields=a,b&note=it%27s",
            request_headers=(("content-type", "application/json"), ("x-empty", "")),
            request_body=json.dumps({"Name": TRICKY}).encode(),
        ),
        make_exchange(
            3,
            method="POST",
            request_body=bytes(range(256)),
            request_headers=(("content-type", "application/octet-stream"),),
        ),
        make_exchange(4, method="OPTIONS", request_headers=(("host", "crm.example"),)),
    ],
)
def test_curl_reads_back_what_it_wrote(exchange: Exchange) -> None:
    parsed = parse_curl(as_curl(exchange))
    assert parsed.method == exchange.method
    assert parsed.url == exchange.url
    assert parsed.headers == tuple(
        (name, value) for name, value in exchange.request_headers if name != "host"
    )
    assert parsed.body == exchange.request_body


def http_words(command: str, tmp_path: Path) -> tuple[list[str], bytes]:
    """The words and standard input /bin/sh hands to `http` for this command."""
    fake = tmp_path / "http"
    fake.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        "json.dump({'argv': sys.argv[1:], 'stdin': sys.stdin.buffer.read().hex()}, sys.stdout)\n"
    )
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        ["sh", "-c", command],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=True,
        timeout=20,
    )
    got = json.loads(done.stdout)
    return got["argv"], bytes.fromhex(got["stdin"])


def test_httpie_gets_the_method_url_headers_and_raw_body(tmp_path: Path) -> None:
    body = json.dumps({"Name": TRICKY}).encode()
    exchange = make_exchange(
        1,
        method="POST",
        request_headers=(
            ("content-type", "application/json"),
            ("x-formula", "=1+1"),
            ("x-empty", ""),
            ("content-length", "5"),
        ),
        request_body=body,
    )
    words, _ = http_words(as_httpie(exchange), tmp_path)
    assert words[:2] == ["POST", exchange.url]
    assert words[2:4] == ["--raw", body.decode()]
    # "=1+1" is escaped so HTTPie reads a header, not the JSON field "x-formula:=".
    assert words[4:] == ["content-type:application/json", "x-formula:\\=1+1", "x-empty;"]


def test_httpie_pipes_a_binary_body_byte_for_byte(tmp_path: Path) -> None:
    body = bytes(range(256))
    exchange = make_exchange(1, method="POST", request_body=body, request_headers=())
    words, stdin = http_words(as_httpie(exchange), tmp_path)
    assert stdin == body
    assert words == ["POST", exchange.url, "Content-Type:"]


def test_powershell_quotes_and_splits_what_5_1_refuses_in_headers() -> None:
    exchange = make_exchange(
        1,
        method="PATCH",
        url="https://crm.example/api/v1/lead/7?note=it's",
        request_headers=(
            ("content-type", "application/json"),
            ("user-agent", "crmdesk/1.0"),
            ("x-quote", "a ’typographic’ quote"),
            ("x-many", "one"),
            ("X-Many", "two"),
            ("connection", "keep-alive"),
        ),
        request_body=b'{"Name": "O\'Brien"}',
    )
    command = as_powershell(exchange)
    assert "Uri         = 'https://crm.example/api/v1/lead/7?note=it''s'" in command
    assert "Method      = 'PATCH'" in command
    assert "ContentType = 'application/json'" in command
    assert "UserAgent   = 'crmdesk/1.0'" in command
    assert "'x-quote' = 'a ’’typographic’’ quote'" in command
    assert "'x-many' = 'one, two'" in command
    assert "connection" not in command.lower().replace("$request", "")
    assert "Body        = '{\"Name\": \"O''Brien\"}'" in command
    assert command.endswith("Invoke-WebRequest @request -UseBasicParsing")


def test_powershell_sends_other_text_and_binary_as_exact_bytes() -> None:
    text = make_exchange(1, method="POST", request_body="Köln".encode())
    assert "[System.Text.Encoding]::UTF8.GetBytes('Köln')" in as_powershell(text)
    binary = make_exchange(1, method="POST", request_body=b"\x00\xff")
    assert "[Convert]::FromBase64String('AP8=')" in as_powershell(binary)
    odd = RawRequest("PROPFIND", "https://crm.example/dav", (), b"")
    assert "CustomMethod = 'PROPFIND'" in as_powershell(odd)
