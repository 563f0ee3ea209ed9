"""GetResponse's ErrorResponse bodies: every failure answers with one, whatever its cause."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from aiohttp import web

DOCS = "https://apidocs.getresponse.com/en/v3/errors/"

# Code -> (HTTP status, codeDescription), from the errors page and the OpenAPI examples.
CODES: Mapping[int, tuple[int, str]] = {
    1: (500, "Internal error, please contact with our support"),
    1000: (400, "General error of validation process, more details should be in context section"),
    1001: (400, "Related resource not found or not accessible"),
    1002: (400, "Resource state forbids this action"),
    1003: (400, "Invalid parameter format"),
    1008: (409, "There is another resource with the same value of unique property"),
    1013: (404, "The requested resource was not found"),
    1014: (401, "Problem during authentication process, check headers!"),
    1015: (429, "Too many request to API, quota reached, please wait till next quota window"),
    1018: (503, "The API is temporarily unavailable"),
    1021: (400, "Invalid request headers"),
}


class ApiFailure(Exception):
    """An answer the API gives as an ErrorResponse. `status` overrides the code's usual one."""

    def __init__(
        self,
        code: int,
        message: str,
        context: Mapping[str, object] | None = None,
        *,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.context = dict(context or {})
        self.status = status if status is not None else CODES[code][0]

    def response(self) -> web.Response:
        return error_response(self.status, self.code, self.message, self.context)


def error_response(
    status: int, code: int, message: str, context: Mapping[str, object] | None = None
) -> web.Response:
    body = {
        "httpStatus": status,
        "code": code,
        "codeDescription": CODES.get(code, (status, "Error"))[1],
        "message": message,
        "moreInfo": f"{DOCS}{code}",
        # The spec types context as an object; an empty one is sent rather than null.
        "context": dict(context or {}),
        "uuid": str(uuid.uuid4()),
    }
    return web.json_response(body, status=status)


def code_for_status(status: int) -> int:
    """The code the fault injector sends with a bare status."""
    for code, (usual, _) in CODES.items():
        if usual == status:
            return code
    return 1
