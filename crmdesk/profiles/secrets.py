"""SecretStore: credentials in the OS keyring, or for this session only. Never on disk.

One keyring entry per profile (service `crmdesk`, user name = the profile id) holds the
profile's credentials as JSON, so a connection costs one keyring call and at most one
unlock prompt. Every call runs in a thread with a timeout: keyring calls are blocking D-Bus
or OS calls, and a locked keyring can hang forever (STACK-NOTES B5).

When there is no usable keyring (keyring's fail or null backend, a plaintext one from
keyrings.alt, a locked keyring, an error, a timeout) the store says why in `reason`, switches
to SESSION_ONLY for the rest of the run, and keeps what it is given in memory. It never
writes a secret anywhere else.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import json
import logging
import os
import threading
from collections.abc import Callable, Mapping
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

from crmdesk.api import kind_info
from crmdesk.profiles.model import Profile

if TYPE_CHECKING:
    # keyring itself is imported on the worker thread that first asks it (see `_probe`):
    # importing it and picking a backend costs start-up time the window need not wait for.
    import keyring.backend

log = logging.getLogger(__name__)

SERVICE = "crmdesk"
TIMEOUT_SECONDS = 5.0
_PROBE_USER = "crmdesk-keyring-check"
T = TypeVar("T")


class _Answers:
    """Whether a keyring thread may still hand its answer to the event loop.

    A keyring call that outlives the app (quit while it thinks, or one that hangs) must not
    touch the loop once Python is shutting down: qasync's `call_soon_threadsafe` emits a Qt
    signal, and a thread inside Qt's C++ when the interpreter stops aborts the process
    ("FATAL: exception not rethrown"). At exit, before the interpreter stops its threads, the
    door is shut under the same lock every answer is handed over with.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open = True

    def hand_over(self, loop: asyncio.AbstractEventLoop, answer: Callable[[], None]) -> None:
        with self._lock:
            if not self._open or loop.is_closed():
                return  # nobody is waiting any more
            loop.call_soon_threadsafe(answer)

    def shut(self) -> None:
        with self._lock:
            self._open = False


_answers = _Answers()
atexit.register(_answers.shut)


class KeyringState(Enum):
    UNCHECKED = "not checked yet"
    KEYRING = "in the system keyring"
    SESSION_ONLY = "for this session only"


class SecretStore:
    """Credentials by profile id. Also the `SecretsSource` that `Connections` opens with."""

    def __init__(
        self,
        backend: keyring.backend.KeyringBackend | None = None,
        *,
        timeout: float = TIMEOUT_SECONDS,
        service: str = SERVICE,
    ) -> None:
        # A backend handed in is one the caller chose (tests); otherwise keyring's own pick.
        self._backend = backend
        self._chosen = backend is not None
        self._timeout = timeout
        self._service = service
        self._memory: dict[str, dict[str, str]] = {}
        self._listeners: list[Callable[[], None]] = []
        self._check: asyncio.Task[None] | None = None
        self.state = KeyringState.UNCHECKED
        self.reason = ""

    def subscribe(self, listener: Callable[[], None]) -> None:
        """`listener` is called (on the loop) whenever `state` changes."""
        self._listeners.append(listener)

    async def check(self) -> KeyringState:
        """Find out once whether the keyring is usable; later calls wait for that answer."""
        if self._check is None:
            self._check = asyncio.ensure_future(self._probe())
        await asyncio.shield(self._check)
        return self.state

    async def get(self, profile_id: str) -> dict[str, str]:
        """The credentials of a profile; empty when none are known."""
        if profile_id in self._memory:
            return dict(self._memory[profile_id])
        if await self.check() is not KeyringState.KEYRING:
            return {}
        backend = self._backend
        assert backend is not None
        try:
            stored = await self._blocking(backend.get_password, self._service, profile_id)
        except Exception as exc:
            self._give_up(f"reading from {_describe(backend)} failed ({_words(exc)})")
            return {}
        credentials = _parse(stored)
        self._memory[profile_id] = credentials
        return dict(credentials)

    async def put(self, profile_id: str, credentials: Mapping[str, str]) -> KeyringState:
        """Keep the credentials (all of them replace what was there); says where they went."""
        kept = {name: value for name, value in credentials.items() if value}
        self._memory[profile_id] = kept
        if await self.check() is not KeyringState.KEYRING:
            return self.state
        backend = self._backend
        assert backend is not None
        try:
            if kept:
                await self._blocking(
                    backend.set_password, self._service, profile_id, json.dumps(kept)
                )
            else:
                await self._delete_stored(backend, profile_id)
        except Exception as exc:
            self._give_up(f"saving to {_describe(backend)} failed ({_words(exc)})")
        return self.state

    async def delete(self, profile_id: str) -> None:
        self._memory.pop(profile_id, None)
        if await self.check() is not KeyringState.KEYRING:
            return
        backend = self._backend
        assert backend is not None
        try:
            await self._delete_stored(backend, profile_id)
        except Exception as exc:
            self._give_up(f"deleting from {_describe(backend)} failed ({_words(exc)})")

    def keep_for_session(self, profile_id: str, credentials: Mapping[str, str]) -> None:
        """Hold credentials in memory only, whatever the keyring (the --demo connections)."""
        self._memory[profile_id] = dict(credentials)

    async def __call__(self, profile: Profile) -> Mapping[str, str]:
        """The credentials `open_backend` takes for this profile (SecretsSource)."""
        wanted = {field.name for field in kind_info(profile.kind).credentials}
        stored = await self.get(profile.id)
        return {name: value for name, value in stored.items() if name in wanted}

    async def missing(self, profile: Profile) -> tuple[str, ...]:
        """Labels of the credentials this profile still needs before it can connect."""
        stored = await self.get(profile.id)
        fields = kind_info(profile.kind).credentials
        return tuple(field.label for field in fields if not stored.get(field.name))

    # -- the keyring, off the loop's thread ------------------------------------------------

    async def _probe(self) -> None:
        try:
            if self._backend is None:
                # Choosing a backend imports and asks D-Bus or the OS: off the loop too.
                self._backend = await self._blocking(_system_keyring)
            problem = _why_unusable(self._backend, chosen=self._chosen)
            if problem is None:
                await self._blocking(self._backend.get_password, self._service, _PROBE_USER)
        except Exception as exc:
            problem = f"the keyring did not answer ({_words(exc)})"
        if problem is None and self._backend is not None:
            log.info("Secrets are kept in %s", _describe(self._backend))
            self._set(KeyringState.KEYRING, "")
        else:
            self._give_up(problem or "no keyring was chosen")

    async def _delete_stored(self, backend: keyring.backend.KeyringBackend, key: str) -> None:
        import keyring.errors

        # Nothing stored is what we wanted anyway.
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            await self._blocking(backend.delete_password, self._service, key)

    async def _blocking(self, call: Callable[..., T], *args: Any) -> T:
        # A daemon thread rather than the loop's executor: a call that hangs past the timeout
        # must not hold up quitting, as a pool's worker thread would (it is joined at exit).
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()

        def settle(result: Any, error: BaseException | None) -> None:
            if future.done():  # the wait timed out and gave up on this call
                return
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(result)

        def work() -> None:
            result: Any = None
            error: BaseException | None = None
            try:
                result = call(*args)
            except BaseException as exc:
                error = exc
            # The loop may have closed while the keyring was thinking: nobody is waiting then.
            with contextlib.suppress(RuntimeError):
                _answers.hand_over(loop, lambda: settle(result, error))

        threading.Thread(target=work, name="crmdesk-keyring", daemon=True).start()
        try:
            return await asyncio.wait_for(future, self._timeout)
        except TimeoutError:
            raise TimeoutError(f"no answer within {self._timeout:g} s") from None

    def _give_up(self, reason: str) -> None:
        log.warning("No usable keyring: %s. Secrets are kept for this session only.", reason)
        self._set(KeyringState.SESSION_ONLY, reason)

    def _set(self, state: KeyringState, reason: str) -> None:
        changed = state is not self.state
        self.state = state
        self.reason = reason
        if changed:
            for listener in list(self._listeners):
                listener()


def _system_keyring() -> keyring.backend.KeyringBackend:
    import keyring

    return keyring.get_keyring()


def _why_unusable(backend: keyring.backend.KeyringBackend, *, chosen: bool) -> str | None:
    """Why this backend must not hold secrets, in words; None when it may."""
    import keyring.backends.fail
    import keyring.backends.null
    import keyring.core

    if isinstance(backend, keyring.backends.fail.Keyring):
        return "no system keyring was found"
    if isinstance(backend, keyring.backends.null.Keyring):
        return "the keyring is switched off (keyring's null backend)"
    if type(backend).__module__.startswith("keyrings.alt"):
        # keyrings.alt keeps secrets in files: exactly what crmdesk promises not to do.
        return f"{_describe(backend)} keeps secrets in a file, which crmdesk does not use"
    members = getattr(backend, "backends", None)
    if isinstance(members, list):  # keyring's ChainerBackend
        if not members:
            return "no system keyring was found"
        for member in members:
            # The chain already dropped members scoring zero or less; still refuse a plaintext one.
            problem = _why_unusable(member, chosen=True)
            if problem is not None:
                return problem
        return None
    # Without a recommended backend keyring falls back to whatever scores above zero; only
    # trust that when someone chose it (a test, or PYTHON_KEYRING_BACKEND / keyringrc.cfg).
    chosen = chosen or bool(os.environ.get("PYTHON_KEYRING_BACKEND"))
    if not chosen and not keyring.core.recommended(backend):
        return f"{_describe(backend)} is not a recommended keyring"
    return None


def _describe(backend: keyring.backend.KeyringBackend) -> str:
    name = getattr(backend, "name", "") or type(backend).__name__
    return str(name)


def _parse(stored: str | None) -> dict[str, str]:
    if not stored:
        return {}
    try:
        data = json.loads(stored)
    except json.JSONDecodeError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(name): value for name, value in data.items() if isinstance(value, str)}


def _words(exc: BaseException) -> str:
    # Type and message only: keyring errors describe the keyring, never the secret.
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
