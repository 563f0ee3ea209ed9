"""The listener's HTTP edges: a body read within its limits, the JSON replies, and aiohttp's
own complaints about requests that are not HTTP at all."""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

MAX_BODY = 1024 * 1024
BODY_SECONDS = 10.0
# After refusing a body early, drain (and drop) the rest this long so the sender can read
# the 413, then close the connection.
LINGER_SECONDS = 1.0
_READ_CHUNK = 64 * 1024
_OK = b'{"status":"OK"}'


class Refused(Exception):
    """A request the listener refuses: the HTTP status and the words of the reply."""

    def __init__(self, status: int, words: str) -> None:
        super().__init__(words)
        self.status = status
        self.words = words


class HttpLog(logging.LoggerAdapter[logging.Logger]):
    """What aiohttp says about requests that are not HTTP at all. It logs each with a
    traceback at ERROR; a scanner must not fill the log, and the text it quotes may hold a
    token path, so one line naming the kind of error is kept instead."""

    def exception(self, msg: object, *args: object, exc_info: Any = True, **kwargs: Any) -> None:
        error = sys.exc_info()[1] if exc_info is True else exc_info
        self.logger.info("refused a request that is not HTTP (%s)", type(error).__name__)


def not_ok(status: int, words: str, **headers: str) -> web.Response:
    return web.json_response({"status": "ERROR", "error": words}, status=status, headers=headers)


def ok() -> web.Response:
    return web.Response(body=_OK, content_type="application/json")


def charset_of(request: web.BaseRequest) -> str | None:
    # A Content-Type too odd to parse is no reason to refuse a body that is UTF-8 anyway.
    try:
        return request.charset
    except Exception:
        return None


def url_host(host: str) -> str:
    """A bound address as a URL's host: a wildcard bind is reached on loopback."""
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


async def read_body(request: web.BaseRequest, limit: int, seconds: float) -> bytes:
    """The whole body, or Refused: 413 past `limit` bytes (never reading more than that),
    408 when it is not in within `seconds`, 400 when it is cut or mis-encoded."""
    if request.content_length is not None and request.content_length > limit:
        raise Refused(413, f"The body is over {limit} bytes.")
    chunks: list[bytes] = []
    size = 0
    try:
        # One deadline for the whole body: a trickling sender cannot hold a handler.
        async with asyncio.timeout(seconds):
            while chunk := await request.content.read(_READ_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise Refused(413, f"The body is over {limit} bytes.")
                chunks.append(chunk)
    except TimeoutError:
        raise Refused(408, "The body did not arrive in time.") from None
    except (ConnectionError, HttpProcessingError, ValueError) as exc:
        raise Refused(400, f"The body could not be read ({type(exc).__name__}).") from None
    return b"".join(chunks)
