"""How the `/service` API writes its answers: PHP-style URL-encoded pairs, or JSON for a few.

Nested values are written the way PHP's http_build_query writes them (`users[0][user_id]=7`),
and several messages as `status_message[0]`, `status_message[1]`, as the docs describe.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from urllib.parse import quote_plus

from aiohttp import web

# PHP sends everything as text/html unless told otherwise; the platform does so for its pairs.
PAIRS_TYPE = "text/html"
STATUS_OK = 0
STATUS_BAD_LOGIN = 1
STATUS_BAD_COMMAND = 2
STATUS_BAD_PARAMETER = 3
STATUS_NOT_FOUND = 4
STATUS_FAILED = 5

Answer = dict[str, object]


class CommandError(Exception):
    """A command that failed: a non-zero status and one or more messages.

    `missing` marks a missing required parameter, which `batch` reports as a bare string.
    """

    def __init__(self, status: int, *messages: str, missing: bool = False) -> None:
        super().__init__("; ".join(messages))
        self.status = status
        self.messages = list(messages)
        self.missing = missing

    def answer(self) -> Answer:
        message: object = self.messages[0] if len(self.messages) == 1 else self.messages
        return {"status": self.status, "status_message": message}

    def batch_item(self) -> object:
        if self.missing:
            return self.messages[0]
        return self.answer()


def missing(name: str) -> CommandError:
    return CommandError(
        STATUS_BAD_PARAMETER, f'ERROR: Required parameter "{name}" missing', missing=True
    )


def ok(message: str, **values: object) -> Answer:
    return {"status": STATUS_OK, "status_message": message, **values}


def encode_pairs(answer: Mapping[str, object]) -> str:
    """`answer` as URL-encoded pairs, nested keys in brackets, lists indexed from 0."""
    parts: list[str] = []
    for name, value in answer.items():
        _encode(parts, name, value)
    return "&".join(parts)


def _encode(parts: list[str], name: str, value: object) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            _encode(parts, f"{name}[{key}]", item)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        for index, item in enumerate(value):
            _encode(parts, f"{name}[{index}]", item)
    else:
        text = "" if value is None else str(value)
        # As http_build_query does, the brackets of nested names are percent-encoded too.
        parts.append(f"{quote_plus(name)}={quote_plus(text)}")


def pairs_response(answer: Mapping[str, object], status: int = 200) -> web.Response:
    return web.Response(
        status=status, text=encode_pairs(answer), content_type=PAIRS_TYPE, charset="utf-8"
    )


def json_answer(payload: object, *, content_type: str = "application/json") -> web.Response:
    return web.Response(
        text=json.dumps(payload, ensure_ascii=False), content_type=content_type, charset="utf-8"
    )
