"""The SQLite history file's tables, and an Exchange to and from their rows.

Three tables share one rowid: `exchanges` holds what the history list shows (small rows, so
scanning and counting stay quick at 100,000 rows), `exchange_bodies` the headers and bodies
(zlib when that saves space), and `exchange_text` the searchable text: the URL and the first
64 KiB of each body as words, indexed by the FTS5 table `exchange_fts` where SQLite has it.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import zlib
from typing import Any
from urllib.parse import unquote_plus

from crmdesk.api import Exchange, form_pairs, json_value

SCHEMA_VERSION = 1

# How much of a body's text is searchable. Bodies are kept up to 1 MiB each; the start of a
# reply is where its ids, names and error messages are.
INDEX_CHARS = 64 * 1024

# Bodies smaller than this are stored as they are: zlib would save a few bytes at best, and
# they stay readable to `sqlite3` on the command line.
COMPRESS_FROM = 1024

SUMMARY_COLUMNS = (
    "id, connection_id, connection, method, url, started_at, elapsed_ms, status, reason, "
    "error, request_size, response_size, attempt, call_id, auth, note"
)

TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS exchanges (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    connection_id TEXT NOT NULL,
    connection TEXT NOT NULL,
    method TEXT NOT NULL,
    url TEXT NOT NULL,
    started_at REAL NOT NULL,
    elapsed_ms REAL,
    status INTEGER,
    reason TEXT NOT NULL,
    error TEXT,
    request_size INTEGER NOT NULL,
    response_size INTEGER NOT NULL,
    attempt INTEGER NOT NULL,
    call_id TEXT NOT NULL,
    auth INTEGER NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS exchanges_newest ON exchanges (started_at, id);
CREATE INDEX IF NOT EXISTS exchanges_connection ON exchanges (connection_id, started_at);
CREATE INDEX IF NOT EXISTS exchanges_status ON exchanges (status, started_at);
CREATE INDEX IF NOT EXISTS exchanges_call ON exchanges (call_id, attempt);
CREATE INDEX IF NOT EXISTS exchanges_auth ON exchanges (started_at) WHERE auth = 1;
CREATE TABLE IF NOT EXISTS exchange_bodies (
    rowid INTEGER PRIMARY KEY,
    request_headers TEXT NOT NULL,
    request_body BLOB NOT NULL,
    request_zipped INTEGER NOT NULL,
    response_headers TEXT NOT NULL,
    response_body BLOB NOT NULL,
    response_zipped INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS exchange_text (
    rowid INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    request TEXT NOT NULL,
    response TEXT NOT NULL
);
"""

# External content: the words live once, in exchange_text; the index refers to its rows.
FTS_TABLE = """
CREATE VIRTUAL TABLE IF NOT EXISTS exchange_fts USING fts5(
    url, request, response,
    content='exchange_text', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2'
)
"""


def fts5_available() -> bool:
    """Whether this Python's SQLite was built with FTS5 (most are; some system builds not)."""
    try:
        with sqlite3.connect(":memory:") as probe:
            probe.execute("CREATE VIRTUAL TABLE probe USING fts5(text)")
    except sqlite3.Error:
        return False
    return True


# -- an Exchange to rows -------------------------------------------------------------------


def summary_row(exchange: Exchange) -> tuple[Any, ...]:
    return (
        exchange.id,
        exchange.connection_id,
        exchange.connection,
        exchange.method.upper(),
        exchange.url,
        exchange.started_at,
        exchange.elapsed_ms,
        exchange.status,
        exchange.reason,
        exchange.error,
        exchange.request_size,
        exchange.response_size,
        exchange.attempt,
        exchange.call_id,
        int(exchange.auth),
        exchange.note,
    )


def body_row(exchange: Exchange) -> tuple[Any, ...]:
    request, request_zipped = pack(exchange.request_body)
    response, response_zipped = pack(exchange.response_body)
    return (
        headers_json(exchange.request_headers),
        request,
        request_zipped,
        headers_json(exchange.response_headers),
        response,
        response_zipped,
    )


def text_row(exchange: Exchange) -> tuple[str, str, str]:
    return (
        unquote_plus(exchange.url),
        searchable_text(exchange.request_body),
        searchable_text(exchange.response_body),
    )


# The headers of one connection's calls repeat from one exchange to the next.
@functools.lru_cache(maxsize=512)
def headers_json(headers: tuple[tuple[str, str], ...]) -> str:
    return _HEADERS_JSON.encode([[name, value] for name, value in headers])


_HEADERS_JSON = json.JSONEncoder(ensure_ascii=False)


def pack(body: bytes) -> tuple[bytes, int]:
    if len(body) < COMPRESS_FROM:
        return body, 0
    packed = zlib.compress(body, 6)
    # Already-compressed bodies (images, zip files) would only grow.
    return (packed, 1) if len(packed) < len(body) * 0.9 else (body, 0)


def unpack(stored: bytes, zipped: int) -> bytes:
    return zlib.decompress(stored) if zipped else bytes(stored)


def searchable_text(body: bytes) -> str:
    """The words of a body as a person would search for them.

    JSON with \\u escapes and URL-encoded forms are decoded first, so "Köln" finds
    "K\\u00f6ln" and "K%C3%B6ln"; binary bodies have no words. Cheap on purpose: this runs
    for every body stored.
    """
    if not body or b"\x00" in body[:4096]:
        return ""
    text = body[: INDEX_CHARS * 4].decode("utf-8", errors="replace")
    if text[:4096].count("\ufffd") > 16:  # not UTF-8 text: an image, a zip file
        return ""
    head = text.lstrip()[:1]
    if head in ("{", "["):
        if "\\u" in text[:INDEX_CHARS]:
            is_json, value = json_value(body)
            if is_json:
                try:
                    return json.dumps(value, ensure_ascii=False)[:INDEX_CHARS]
                except (ValueError, RecursionError):
                    pass
        return text[:INDEX_CHARS]
    if "=" in text[:INDEX_CHARS] and form_pairs(text[:INDEX_CHARS].encode()) is not None:
        return unquote_plus(text[:INDEX_CHARS])
    return text[:INDEX_CHARS]


# -- rows to an Exchange --------------------------------------------------------------------


def exchange_of(summary: sqlite3.Row, bodies: sqlite3.Row | None) -> Exchange:
    request_headers: tuple[tuple[str, str], ...] = ()
    response_headers: tuple[tuple[str, str], ...] = ()
    request_body = response_body = b""
    if bodies is not None:
        request_headers = headers_of(bodies["request_headers"])
        response_headers = headers_of(bodies["response_headers"])
        request_body = unpack(bodies["request_body"], bodies["request_zipped"])
        response_body = unpack(bodies["response_body"], bodies["response_zipped"])
    return Exchange(
        id=summary["id"],
        connection_id=summary["connection_id"],
        connection=summary["connection"],
        method=summary["method"],
        url=summary["url"],
        request_headers=request_headers,
        request_body=request_body,
        request_size=summary["request_size"],
        started_at=summary["started_at"],
        elapsed_ms=summary["elapsed_ms"],
        status=summary["status"],
        reason=summary["reason"],
        response_headers=response_headers,
        response_body=response_body,
        response_size=summary["response_size"],
        error=summary["error"],
        attempt=summary["attempt"],
        call_id=summary["call_id"],
        auth=bool(summary["auth"]),
        note=summary["note"],
    )


def headers_of(stored: str) -> tuple[tuple[str, str], ...]:
    return tuple((str(name), str(value)) for name, value in json.loads(stored))
