"""PostClient: the pushers' HTTP client, POST only, over kept-alive connections.

aiohttp's client spends about as much CPU on a request as the listener receiving it; with
both on one machine a benchmark would measure the pusher rather than the receiver. For
`http://` URLs this speaks the little HTTP/1.1 a push needs (Content-Length bodies out;
Content-Length, chunked or close-delimited replies in); `https://` goes through aiohttp.
Every failure is an OSError (ConnectionError) or TimeoutError.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from urllib.parse import urlsplit

import aiohttp

MAX_REPLY = 1024 * 1024
Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class PostClient:
    def __init__(self, url: str, *, timeout: float = 5.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        self.url = url
        self.timeout = timeout
        self._host = parts.hostname
        self._port = parts.port or (443 if parts.scheme == "https" else 80)
        self._authority = parts.netloc.rpartition("@")[2]
        self._target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._tls = parts.scheme == "https"
        self._idle: list[Connection] = []
        self._session: aiohttp.ClientSession | None = None

    async def post(self, body: bytes, headers: Mapping[str, str]) -> tuple[int, bytes]:
        """The reply's status and body."""
        if self._tls:
            return await self._post_tls(body, headers)
        try:
            async with asyncio.timeout(self.timeout):
                return await self._post_plain(body, headers)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
            raise ConnectionError(f"the reply was not HTTP: {exc}") from None

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        for _, writer in idle:
            writer.close()
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _post_plain(self, body: bytes, headers: Mapping[str, str]) -> tuple[int, bytes]:
        if self._idle:
            reader, writer = self._idle.pop()
        else:
            reader, writer = await asyncio.open_connection(self._host, self._port)
        try:
            lines = [f"POST {self._target} HTTP/1.1", f"Host: {self._authority}"]
            lines += [f"{name}: {value}" for name, value in headers.items()]
            lines.append(f"Content-Length: {len(body)}")
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
            status, keep, reply = await _read_reply(reader)
        except BaseException:
            writer.close()
            raise
        if keep:
            self._idle.append((reader, writer))
        else:
            writer.close()
        return status, reply

    async def _post_tls(self, body: bytes, headers: Mapping[str, str]) -> tuple[int, bytes]:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        try:
            async with self._session.post(
                self.url,
                data=body,
                headers=dict(headers),
                timeout=aiohttp.ClientTimeout(total=self.timeout),
                allow_redirects=False,
            ) as response:
                return response.status, await response.read()
        except aiohttp.ClientError as exc:
            raise ConnectionError(f"{type(exc).__name__}: {exc}") from None


async def _read_reply(reader: asyncio.StreamReader) -> tuple[int, bool, bytes]:
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
    status_line, *header_lines = head.split("\r\n")
    version, _, rest = status_line.partition(" ")
    if not version.startswith("HTTP/1."):
        raise ValueError(f"status line {status_line[:60]!r}")
    status = int(rest[:3])
    headers: dict[str, str] = {}
    for line in header_lines:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    keep = version == "HTTP/1.1" and headers.get("connection", "").lower() != "close"
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return status, keep, await _read_chunked(reader)
    length = headers.get("content-length")
    if length is not None:
        size = int(length)
        if not 0 <= size <= MAX_REPLY:
            raise ValueError(f"a reply of {size} bytes")
        return status, keep, await reader.readexactly(size)
    if status in (204, 304) or 100 <= status < 200:
        return status, keep, b""
    return status, False, await reader.read(MAX_REPLY)


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    total = 0
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16)
        if size == 0:
            while await reader.readuntil(b"\r\n") != b"\r\n":
                pass  # trailers, up to the empty line that ends the reply
            return b"".join(parts)
        total += size
        if total > MAX_REPLY:
            raise ValueError("a reply over 1 MiB")
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)
