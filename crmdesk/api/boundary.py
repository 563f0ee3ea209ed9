"""The one boundary between the wire and the model: whatever fails inside a contract call
reaches the caller as an ApiError that carries the exchange behind it.

Every public `Backend` method runs inside `call_boundary`. The transport reports each exchange
it records to the calls in progress (`note`), so an error raised after a request went out, by
whichever reader, is given the latest exchange of its call when it carries none; an exception
that is not an ApiError (a reader's bug meeting a reply nobody foresaw) is logged with its
traceback and becomes a protocol error with that exchange, never a crash of the caller.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from crmdesk.api.errors import ApiError, ErrorKind

if TYPE_CHECKING:
    from crmdesk.api.exchange import Exchange

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")


class _Call:
    """The exchanges of one contract call so far: only the last, and the last that wrote
    (a request the transport would not repeat), are kept."""

    __slots__ = ("last", "last_write")

    def __init__(self) -> None:
        self.last: Exchange | None = None
        self.last_write: Exchange | None = None


# The calls in progress in this task, innermost last (a contract call may make others).
_CALLS: ContextVar[tuple[_Call, ...]] = ContextVar("crmdesk_api_calls", default=())


def note(exchange: Exchange, *, write: bool) -> None:
    """Tell the calls in progress that `exchange` was recorded on their behalf; `write` says
    that its request was one the server may act on (not safe to repeat)."""
    for call in _CALLS.get():
        call.last = exchange
        if write:
            call.last_write = exchange


def last_exchange() -> Exchange | None:
    """The latest exchange of the innermost call in progress, if it made any."""
    calls = _CALLS.get()
    return calls[-1].last if calls else None


def last_write() -> Exchange | None:
    """The latest exchange of a write request in the innermost call in progress."""
    calls = _CALLS.get()
    return calls[-1].last_write if calls else None


def call_boundary(
    method: Callable[P, Coroutine[Any, Any, T]],
) -> Callable[P, Coroutine[Any, Any, T]]:
    """Make `method` (a public Backend coroutine) one contract call behind the boundary."""

    @functools.wraps(method)
    async def bounded(*args: P.args, **kwargs: P.kwargs) -> T:
        call = _Call()
        token = _CALLS.set((*_CALLS.get(), call))
        try:
            return await method(*args, **kwargs)
        except ApiError as error:
            if error.exchange is None and call.last is not None:
                error.exchange = call.last
            raise
        except Exception as exc:
            log.exception("%s failed on something it could not read", method.__qualname__)
            raise unreadable(exc, call.last) from exc
        finally:
            _CALLS.reset(token)

    return bounded


def unreadable(exc: BaseException, exchange: Exchange | None) -> ApiError:
    """The ApiError for an exception no reader turned into one itself."""
    detail = f"{type(exc).__name__}: {exc}"[:500]
    if exchange is None:
        return ApiError(
            ErrorKind.INVALID,
            "crmdesk could not prepare the request; nothing was sent.",
            detail=detail,
        )
    return ApiError(
        ErrorKind.PROTOCOL,
        "The server's reply could not be read.",
        exchange=exchange,
        status=exchange.status,
        detail=detail,
    )
