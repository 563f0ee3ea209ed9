"""The fuzz server: a loopback aiohttp server in front of the sandbox that spoils its replies.

Each lane (a path prefix `/laneN`) runs one case at a time; the lane's plan decides, request by
request, whether the sandbox's reply goes out as it is or spoiled (see fuzz_replies). Good
replies are cached per request, so most requests never reach the sandbox: the suite spends
its time in the client's reading code, which is what it is testing.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web
from fuzz_replies import HUGE_BYTES, Reply, Spoiled, spoil
from multidict import CIMultiDict

_HOP_HEADERS = frozenset(
    {"host", "content-length", "transfer-encoding", "connection", "accept-encoding", "keep-alive"}
)
_DROPPED_REPLY_HEADERS = frozenset(
    {"content-length", "transfer-encoding", "content-encoding", "connection", "date", "server"}
)


@dataclass(slots=True)
class Lane:
    """One lane's current case: its random plan, what it did, how many requests reached us."""

    kind: str = ""
    rng: random.Random = field(default_factory=random.Random)
    pass_rate: float = 0.35
    requests: int = 0
    done: list[str] = field(default_factory=list)

    def start(self, kind: str, seed: int, pass_rate: float) -> None:
        self.kind = kind
        self.rng = random.Random(seed)
        self.pass_rate = pass_rate
        self.requests = 0
        self.done = []


class FuzzServer:
    """Serves `/laneN/<path>` by asking the sandbox for `<path>` and spoiling the answer."""

    def __init__(
        self,
        upstreams: dict[str, str],
        *,
        trickle_every: float,
        hang_seconds: float,
    ) -> None:
        # Upstream origin per kind; a lane's path names its kind: /laneN/<kind>/<path>.
        self._upstreams = upstreams
        self._trickle_every = trickle_every
        self._hang_seconds = hang_seconds
        self.lanes: dict[int, Lane] = {}
        self._cache: dict[tuple[str, str, str, str, bytes], Reply] = {}
        self._closing = asyncio.Event()
        self._session: aiohttp.ClientSession | None = None
        self._runner: web.AppRunner | None = None
        self.origin = ""

    async def start(self) -> None:
        self._session = aiohttp.ClientSession(auto_decompress=False)
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.origin = f"http://127.0.0.1:{self._runner.addresses[0][1]}"

    async def stop(self) -> None:
        self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()

    def lane(self, number: int) -> Lane:
        return self.lanes.setdefault(number, Lane())

    def base_url(self, lane: int, kind: str, base_path: str) -> str:
        return f"{self.origin}/lane{lane}/{kind}{base_path}"

    # -- serving ----------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        lane_part, kind, rest = _split(request.path)
        lane = self.lane(int(lane_part.removeprefix("lane")))
        lane.requests += 1
        body = await request.read()
        good = await self._good(request, kind, rest, body)
        spoiled = spoil(good, kind, lane.rng, pass_rate=lane.pass_rate)
        lane.done.append(spoiled.describe())
        return await self._answer(request, spoiled)

    async def _good(self, request: web.Request, kind: str, rest: str, body: bytes) -> Reply:
        key = (kind, request.method, rest, request.query_string, body)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        assert self._session is not None
        url = (
            self._upstreams[kind]
            + rest
            + (f"?{request.query_string}" if request.query_string else "")
        )
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_HEADERS}
        async with self._session.request(
            request.method, url, headers=headers, data=body, allow_redirects=False
        ) as upstream:
            got = Reply(
                upstream.status,
                [
                    (k, v)
                    for k, v in upstream.headers.items()
                    if k.lower() not in _DROPPED_REPLY_HEADERS
                ],
                await upstream.read(),
            )
        # Only good answers are kept: a login is never reused, so tokens stay fresh.
        if 200 <= got.status < 300 and not rest.endswith("/authenticate"):
            self._cache[key] = got
        return got

    async def _answer(self, request: web.Request, s: Spoiled) -> web.StreamResponse:
        if s.wire == "drop":
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=200)
        if s.wire == "hang":
            await self._closed_within(self._hang_seconds)
            return _whole(s)
        if s.wire in ("cut", "trickle", "huge"):
            return await self._stream(request, s)
        return _whole(s)

    async def _closed_within(self, seconds: float) -> bool:
        """Wait `seconds`, or less if the server is stopping (then True)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), seconds)
        return self._closing.is_set()

    async def _stream(self, request: web.Request, s: Spoiled) -> web.StreamResponse:
        response = web.StreamResponse(status=s.status)
        for name, value in s.headers:
            if name.lower() != "content-length":
                response.headers.add(name, value)
        size = HUGE_BYTES if s.wire == "huge" else max(len(s.body), 1)
        response.content_length = size
        try:
            await response.prepare(request)
            if s.wire == "cut":
                await response.write(s.body[: max(1, len(s.body) // 2)])
                if request.transport is not None:
                    request.transport.abort()
            elif s.wire == "trickle":
                for index in range(size):
                    await response.write(s.body[index : index + 1] or b" ")
                    if await self._closed_within(self._trickle_every):
                        break
            else:
                chunk = b"[" * (1024 * 1024)
                for _ in range(size // len(chunk) + 1):
                    await response.write(chunk)
        except (ConnectionError, TimeoutError, aiohttp.ClientConnectionResetError):
            pass
        return response


def _whole(s: Spoiled) -> web.Response:
    headers = CIMultiDict((k, v) for k, v in s.headers if k.lower() != "content-length")
    return web.Response(status=s.status, body=s.body, headers=headers)


def _split(path: str) -> tuple[str, str, str]:
    _, lane, kind, *rest = path.split("/", 3)
    return lane, kind, "/" + (rest[0] if rest else "")
