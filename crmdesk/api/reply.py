"""Reply: a response that arrived whole, and the first readings of it every backend shares.

Reading a body as text or JSON either gives a value or raises an ApiError carrying the reply's
exchange: an undecodable charset, a body that is not JSON, JSON nested past any API's depth.
The words say what was wrong for a user; the parser's own message goes in `detail`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx

from crmdesk.api.errors import ApiError, ErrorKind, kind_for_status
from crmdesk.api.exchange import Exchange
from crmdesk.api.nesting import MAX_JSON_DEPTH, deeper_than
from crmdesk.api.redact import Redactor


@dataclass(frozen=True, slots=True)
class Reply:
    """A response that arrived whole: status, headers, body, and its recorded Exchange."""

    status: int
    headers: httpx.Headers
    body: bytes
    exchange: Exchange
    # Error text quotes the reply (the unredacted body the backend reads): it is redacted.
    redactor: Redactor | None = None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def content_type(self) -> str:
        value: str = self.headers.get("content-type", "")
        return value.split(";")[0].strip().lower()

    def text(self) -> str:
        """The body as text in the charset the server declared (UTF-8 if it declared none)."""
        charset = "utf-8"
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                charset = value.strip('"').strip()
        try:
            return self.body.decode(charset)
        except LookupError:
            # Unknown names and codecs that are not text encodings (base64, zlib).
            raise self.error(
                f"The server declared a character set crmdesk cannot read ({charset[:40]!r}).",
                kind=ErrorKind.PROTOCOL,
            ) from None
        except (UnicodeError, ValueError) as exc:
            raise self.error(
                f"The reply is not valid text in the character set it declares ({charset[:40]!r}).",
                kind=ErrorKind.PROTOCOL,
                detail=str(exc)[:300],
            ) from None

    def json(self) -> Any:
        """The body parsed as JSON; anything else is a protocol error carrying this exchange."""
        if not self.body.strip():
            raise self.error("The server sent an empty reply.", kind=ErrorKind.PROTOCOL)
        text = self.text()
        try:
            data = json.loads(text, parse_constant=_no_constant)
        except RecursionError:
            raise self._too_deep() from None
        except ValueError as exc:
            what = "an HTML page" if self.body.lstrip()[:1] == b"<" else "malformed JSON"
            raise self.error(
                f"The server sent {what} where JSON was expected.",
                kind=ErrorKind.PROTOCOL,
                detail=str(exc)[:300],
            ) from None
        if deeper_than(data, MAX_JSON_DEPTH, text):
            raise self._too_deep()
        return data

    def body_message(self) -> str | None:
        """What a body that is not the API's format says: an HTML page, or plain text."""
        if self.body.lstrip()[:1] == b"<":
            return "The server sent an HTML error page instead of an API reply."
        if self.content_type == "text/plain" and self.body.strip():
            text = self.body.decode("utf-8", errors="replace").strip()
            return text if len(text) <= 300 else text[:297] + "..."
        return None

    def plain_message(self) -> str:
        """What this reply says in words when the API gave no message of its own."""
        reason = self.exchange.reason or "no reason given"
        return self.body_message() or f"The server answered {self.status} ({reason})."

    def error(
        self,
        message: str | None = None,
        *,
        kind: ErrorKind | None = None,
        vendor_code: str | None = None,
        context: Any = None,
        more_info: str | None = None,
        retry_at: float | None = None,
        detail: str | None = None,
    ) -> ApiError:
        """The ApiError this reply stands for; the one place a status becomes an error."""
        if kind is None:
            kind = kind_for_status(self.status) if self.status >= 400 else ErrorKind.PROTOCOL
        message = message or self.plain_message()
        if self.redactor is not None:
            message = self.redactor.text(message)
        return ApiError(
            kind,
            message,
            exchange=self.exchange,
            status=self.status,
            vendor_code=vendor_code,
            context=context,
            more_info=more_info,
            retry_at=retry_at,
            detail=detail,
        )

    def unexpected(self, what: str, detail: str = "") -> ApiError:
        """The protocol error for a reply that parsed but is not what the API documents:
        `what` says in a user's words what was expected ("the list of records")."""
        return self.error(
            f"The server's reply does not hold {what} as the API documents it.",
            kind=ErrorKind.PROTOCOL,
            detail=detail or None,
        )

    def _too_deep(self) -> ApiError:
        return self.error(
            f"The reply is nested more than {MAX_JSON_DEPTH} levels deep; crmdesk does not "
            "read it.",
            kind=ErrorKind.PROTOCOL,
        )


def _no_constant(name: str) -> Any:
    # NaN and Infinity are not JSON (RFC 8259), though Python's parser takes them.
    raise ValueError(f"{name} is not a JSON value")
