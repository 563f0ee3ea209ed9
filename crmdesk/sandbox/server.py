"""Run emulators on loopback ports: `Sandbox` on the caller's loop, `SandboxThread` on its own."""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal, Self, overload

from aiohttp import web

from crmdesk.sandbox.aicore import AiCoreEmulator
from crmdesk.sandbox.cmdatamanager import CMDataManagerEmulator
from crmdesk.sandbox.emulator import Emulator
from crmdesk.sandbox.getresponse import GetResponseEmulator
from crmdesk.sandbox.mothernode import MothernodeEmulator
from crmdesk.sandbox.ndchost import NDCHostEmulator
from crmdesk.sandbox.pushadmin import Pusher

EMULATORS: dict[str, type[Emulator]] = {
    CMDataManagerEmulator.kind: CMDataManagerEmulator,
    MothernodeEmulator.kind: MothernodeEmulator,
    NDCHostEmulator.kind: NDCHostEmulator,
    GetResponseEmulator.kind: GetResponseEmulator,
    AiCoreEmulator.kind: AiCoreEmulator,
}
_SHUTDOWN_TIMEOUT = 2.0


@dataclass(frozen=True, slots=True)
class SandboxEndpoint:
    """What a client needs to connect to one running emulator."""

    kind: str
    label: str
    base_url: str
    credentials: dict[str, str]
    options: dict[str, object]


def _options_per_kind(kinds: list[str], options: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Sort keyword options out to emulators.

    `cmdatamanager={...}` goes to that emulator; any other keyword goes to every emulator whose
    constructor takes it, so `Sandbox(task_close_paths="upper")` works as well.
    """
    per_kind: dict[str, dict[str, Any]] = {kind: {} for kind in kinds}
    for name, value in options.items():
        if name in EMULATORS:
            continue
        takers = [k for k in kinds if name in inspect.signature(EMULATORS[k]).parameters]
        if not takers:
            raise TypeError(f"no emulator among {kinds} takes the option {name!r}")
        for kind in takers:
            per_kind[kind][name] = value
    for name, value in options.items():
        if name not in EMULATORS:
            continue
        if name not in per_kind:
            raise TypeError(f"options given for {name!r}, which is not among kinds {kinds}")
        per_kind[name].update(value)
    return per_kind


def _url_host(host: str) -> str:
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


class Sandbox:
    """Emulators served over HTTP, each on its own port, on the running asyncio loop.

    `port=0` gives every emulator an ephemeral port; another value is the first of
    consecutive ports, one per kind.
    """

    def __init__(
        self,
        kinds: Iterable[str] = ("cmdatamanager",),
        *,
        seed: int = 1,
        records_per_entity: int | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        **options: Any,
    ) -> None:
        self.kinds = list(dict.fromkeys(kinds))
        unknown = [k for k in self.kinds if k not in EMULATORS]
        if unknown:
            raise ValueError(f"unknown sandbox kinds {unknown}; known: {sorted(EMULATORS)}")
        self.host = host
        self.port = port
        self._emulators: dict[str, Emulator] = {
            kind: EMULATORS[kind](seed=seed, records_per_entity=records_per_entity, **extra)
            for kind, extra in _options_per_kind(self.kinds, options).items()
        }
        self._runners: list[web.AppRunner] = []
        self._endpoints: list[SandboxEndpoint] = []
        self._started = False

    @overload
    def emulator(self, kind: Literal["cmdatamanager"]) -> CMDataManagerEmulator: ...
    @overload
    def emulator(self, kind: str) -> Emulator: ...
    def emulator(self, kind: str) -> Emulator:
        """The emulator of one kind, for fault injection and access to its data."""
        return self._emulators[kind]

    def pusher(self, kind: str) -> Pusher:
        """The notification sender of an emulator whose server pushes (aicore: seed 004
        push; getresponse: webhooks). Register the listener's URL with it, then burst or
        push periodically."""
        found = getattr(self._emulators[kind], "push", None)
        if found is None:
            raise ValueError(f"the {kind} sandbox pushes no notifications")
        pusher: Pusher = found
        return pusher

    @property
    def endpoints(self) -> list[SandboxEndpoint]:
        if not self._endpoints:
            raise RuntimeError("the sandbox is not running")
        return list(self._endpoints)

    async def start(self) -> None:
        if self._started:
            raise RuntimeError("a Sandbox can be started once")
        self._started = True
        try:
            for offset, (kind, emulator) in enumerate(self._emulators.items()):
                # No access log: the request log is the record, and the app's log stays quiet.
                runner = web.AppRunner(
                    emulator.build_app(),
                    handle_signals=False,
                    shutdown_timeout=_SHUTDOWN_TIMEOUT,
                    access_log=None,
                )
                await runner.setup()
                self._runners.append(runner)
                site = web.TCPSite(runner, self.host, self.port + offset if self.port else 0)
                await site.start()
                port = runner.addresses[0][1]
                origin = f"http://{_url_host(self.host)}:{port}"
                self._endpoints.append(
                    SandboxEndpoint(
                        kind=kind,
                        label=emulator.label,
                        base_url=origin + emulator.base_path,
                        credentials=emulator.credentials(),
                        options=emulator.options(),
                    )
                )
        except BaseException:
            await self.stop()
            raise

    async def stop(self) -> None:
        """Stop serving. Hanging requests are woken first so this takes no time to speak of."""
        for emulator in self._emulators.values():
            await emulator.close()
        runners, self._runners = self._runners, []
        for runner in runners:
            await runner.cleanup()
        self._endpoints = []

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()


class SandboxThread:
    """A `Sandbox` on its own asyncio loop in a daemon thread, so it never shares (or stalls)
    the caller's loop. Takes the same arguments as `Sandbox`."""

    def __init__(self, kinds: Iterable[str] = ("cmdatamanager",), **kwargs: Any) -> None:
        # Built here, in the caller's thread, so bad arguments fail at once.
        self._sandbox = Sandbox(kinds, **kwargs)
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    @overload
    def emulator(self, kind: Literal["cmdatamanager"]) -> CMDataManagerEmulator: ...
    @overload
    def emulator(self, kind: str) -> Emulator: ...
    def emulator(self, kind: str) -> Emulator:
        return self._sandbox.emulator(kind)

    def pusher(self, kind: str) -> Pusher:
        """As `Sandbox.pusher`; `register` and `burst` are safe from this thread."""
        return self._sandbox.pusher(kind)

    @property
    def endpoints(self) -> list[SandboxEndpoint]:
        return self._sandbox.endpoints

    def start(self, timeout: float = 60.0) -> None:
        if self._thread is not None:
            raise RuntimeError("a SandboxThread can be started once")
        self._thread = threading.Thread(target=self._run, name="crmdesk-sandbox", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise TimeoutError("the sandbox did not start in time")
        if self._error is not None:
            self._thread.join()
            raise self._error

    def stop(self, timeout: float = 10.0) -> None:
        thread, loop, stopping = self._thread, self._loop, self._stopping
        if thread is None or loop is None or stopping is None:
            return
        if thread.is_alive():
            loop.call_soon_threadsafe(stopping.set)
        thread.join(timeout)
        if thread.is_alive():
            raise TimeoutError("the sandbox thread did not stop in time")

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _run(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        try:
            await self._sandbox.start()
        except BaseException as exc:
            self._error = exc
            return
        finally:
            self._ready.set()
        try:
            await self._stopping.wait()
        finally:
            await self._sandbox.stop()
