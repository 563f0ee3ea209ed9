"""NDCHost's status envelope read: `data` on success, otherwise the ApiError it stands for.

An error is `status` other than "success", whatever the HTTP status; its kind is read from the
`message` words (the API has no error codes). A success envelope on an HTTP error status is
not quoted: its words are the vendor's success text.
"""

from __future__ import annotations

import re
import time
from typing import Any

from crmdesk.api.errors import ApiError, ErrorKind
from crmdesk.api.ratelimit import retry_after_at
from crmdesk.api.reply import Reply

_AUTH_WORDS = re.compile(r"api\s*_?key|authenticat|api access|not enabled|disabled", re.I)
_UNKNOWN_WORDS = re.compile(
    r"\b(module|function)\b.*\b(invalid|unknown|not found|does not exist|not supported)\b"
    r"|\b(invalid|unknown)\b.*\b(module|function)\b",
    re.I,
)


def retry_at_of(reply: Reply) -> float | None:
    return retry_after_at(reply.headers.get("retry-after"), time.time())


def envelope_data(reply: Reply, call: str) -> Any:
    """The envelope's `data`, or the ApiError the envelope (or the HTTP status) stands for."""
    try:
        body = reply.json()
    except ApiError as error:
        if not reply.ok:
            raise reply.error(reply.plain_message()) from None
        if reply.body.lstrip()[:1] == b"<":
            raise reply.error(
                "The server sent an HTML page instead of a client API reply; check that the "
                "address is the portal's index.php and that the API is enabled.",
                kind=ErrorKind.PROTOCOL,
            ) from None
        raise error from None
    if not isinstance(body, dict):
        if not reply.ok:
            raise reply.error(reply.plain_message())
        raise reply.unexpected(f"a status envelope for {call}", type(body).__name__)
    status, message = body.get("status"), body.get("message")
    text = message.strip() if isinstance(message, str) and message.strip() else None
    if status == "success":
        if reply.ok:
            return body.get("data")
        # A success envelope on an error status: its words are the vendor's success text.
        return _raise_envelope(reply, reply.plain_message())
    if status is not None and not isinstance(status, str):
        if not reply.ok:
            raise reply.error(reply.plain_message())
        raise reply.unexpected(f"a status envelope for {call}", f"status {status!r}")
    if status is None and reply.ok:
        raise reply.unexpected(f"a status envelope for {call}", "no status")
    if text is None:
        text = reply.plain_message() if not reply.ok else f"The server reported status {status!r}."
    return _raise_envelope(reply, text)


def refusal(reply: Reply) -> ApiError:
    """The error a 429 stands for, when the wait for the quota is not taken."""
    try:
        envelope_data(reply, "call")
    except ApiError as error:
        return error
    return reply.error(kind=ErrorKind.RATE_LIMITED, retry_at=retry_at_of(reply))


def _raise_envelope(reply: Reply, text: str) -> Any:
    if reply.status == 429:
        raise reply.error(text, retry_at=retry_at_of(reply))
    if reply.status >= 500:
        raise reply.error(text)
    if _AUTH_WORDS.search(text) or reply.status == 401:
        raise reply.error(text, kind=ErrorKind.AUTH)
    if _UNKNOWN_WORDS.search(text):
        raise reply.error(text, kind=ErrorKind.UNSUPPORTED)
    raise reply.error(text, kind=None if not reply.ok else ErrorKind.INVALID)
