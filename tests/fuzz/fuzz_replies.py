"""Generated bad replies: a good reply from the sandbox, spoiled in one of many ways.

Everything is drawn from a `random.Random` the caller seeds, so a case is reproduced from its
seed alone. A `Spoiled` reply says what the server sends and how it sends it (whole, trickled,
dropped...); `describe()` names what was done, for the outcome table and for reproducing.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

# Every numeric header some kind reads: rate limits, retry times, totals, token resets.
NUMERIC_HEADERS = {
    "cmdatamanager": (
        "x-rate-limit-limit",
        "x-rate-limit-remaining",
        "x-rate-limit-reset",
        "x-token-reset",
        "Retry-After",
    ),
    "getresponse": (
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "X-RateLimit-Reset",
        "TotalCount",
        "TotalPages",
        "CurrentPage",
        "Retry-After",
    ),
    "mothernode": ("Retry-After",),
    "ndchost": ("Retry-After",),
    "aicore": ("Retry-After",),
}
BAD_NUMBERS = (
    "inf", "-inf", "Infinity", "nan", "NaN", "1e999", "-1e999", "1e-999", "-1", "-0", "0",
    "²", "¹²", "٣", "١٢٣", "9" * 5000, "1" * 401, str(2**63), str(2**31), "99999999999",
    "", " ", "12 seconds", "nan seconds", "inf seconds", "0x1F", "1.5", "1_000", "+5",
    "1e308", "17e5", "12abc", "—", "３", "NaN" * 300,
)  # fmt: skip
BAD_JSON_VALUES: tuple[Any, ...] = (
    None, True, False, 0, -1, 1.5, 10**400, float("nan"), float("inf"), float("-inf"),
    "", "x", "²", "9" * 40, "1e999", "NaN", [], {}, [None], {"": None}, "\x00\ud7ff",
    "0000-00-00", "Y", "maybe", " 7 ",
)  # fmt: skip
STATUSES = (
    200, 200, 201, 202, 203, 204, 206, 299, 300, 301, 302, 303, 304, 307, 308, 400, 401,
    403, 404, 405, 408, 409, 410, 412, 413, 418, 422, 429, 429, 451, 500, 501, 502, 503, 504,
    505, 520, 599,
)  # fmt: skip
CHARSETS = (
    "punycode", "idna", "utf-16", "utf-32", "utf-7", "rot13", "base64", "uu", "zlib",
    "bogus-charset", "", "latin-1", "ascii", "utf-8-sig", "cp1252", '"utf-8"', "utf-8; x=y",
)  # fmt: skip
CONTENT_TYPES = (
    "text/html", "text/plain", "application/x-www-form-urlencoded", "application/json",
    "application/octet-stream", "application/xml", "", "application/problem+json",
    "multipart/form-data; boundary=x", "json", "text/json",
)  # fmt: skip
_HTML = b"<!DOCTYPE html><html><head><title>Oops</title></head><body><h1>%d</h1></body></html>"
HUGE_BYTES = 64 * 1024 * 1024 + 1


@dataclass(slots=True)
class Reply:
    """A reply as the sandbox gave it: the starting point of a spoiled one."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


@dataclass(slots=True)
class Spoiled:
    """What the fuzz server does with one request.

    `wire`: "whole" sends the reply; "drop" closes the connection without a word;
    "cut" sends the headers and part of the body, then closes; "trickle" sends the body a
    byte at a time, each within the client's read timeout; "hang" answers nothing for a long
    while; "huge" streams a body over the client's size bound.
    """

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    wire: str = "whole"
    done: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return "+".join(self.done) or "as is"


def spoil(reply: Reply, kind: str, rng: random.Random, *, pass_rate: float) -> Spoiled:
    """The reply as it is (with probability `pass_rate`), or spoiled in one to three ways."""
    spoiled = Spoiled(reply.status, list(reply.headers), reply.body)
    if rng.random() < pass_rate:
        return spoiled
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        spoiler = rng.choice(_SPOILERS)
        try:
            spoiler(spoiled, kind, rng)
        except RecursionError:
            # A body an earlier spoiler nested deeply is left as it is.
            spoiled.done.append(f"{spoiler.__name__} skipped")
    return spoiled


# -- the ways to spoil a reply -------------------------------------------------------------


def _status(s: Spoiled, kind: str, rng: random.Random) -> None:
    s.status = rng.choice(STATUSES)
    s.done.append(f"status {s.status}")
    if 300 <= s.status < 400 and rng.random() < 0.7:
        location = rng.choice(("http://[::1", "http://exa mple/", "//%zz", "http://:99999/x"))
        _set_header(s, "Location", location)
        s.done.append("bad Location")


def _numeric_header(s: Spoiled, kind: str, rng: random.Random) -> None:
    names = NUMERIC_HEADERS[kind]
    for name in rng.sample(names, rng.randint(1, len(names))):
        value = rng.choice(BAD_NUMBERS)
        _set_header(s, name, value)
        s.done.append(f"{name}: {value[:12]!r}")
    if rng.random() < 0.4:
        s.status = rng.choice((429, 429, 503, 502, 504, 200))
        s.done.append(f"status {s.status}")


def _truncate(s: Spoiled, kind: str, rng: random.Random) -> None:
    if s.body:
        s.body = s.body[: rng.randrange(len(s.body))]
    s.done.append("truncated")


def _empty(s: Spoiled, kind: str, rng: random.Random) -> None:
    s.body = b""
    s.done.append("empty")


def _html(s: Spoiled, kind: str, rng: random.Random) -> None:
    s.body = _HTML % s.status
    if rng.random() < 0.6:
        _set_header(s, "Content-Type", "text/html; charset=utf-8")
    s.done.append("HTML page")


def _binary(s: Spoiled, kind: str, rng: random.Random) -> None:
    s.body = rng.randbytes(rng.choice((1, 7, 300, 5000)))
    s.done.append("binary")


def _deep(s: Spoiled, kind: str, rng: random.Random) -> None:
    depth = rng.choice((60, 200, 999, 1100, 5000, 10_000, 100_000))
    opener = rng.choice(("[", '{"a":', "leads[0]"))
    if opener == "leads[0]":
        s.body = b"status=0&leads" + b"[0]" * depth + b"=1"
    else:
        closer = "]" if opener == "[" else "}"
        s.body = (opener * depth + "1" + closer * depth * rng.choice((0, 1))).encode()
    s.done.append(f"nested {depth} deep")


def _mutate_json(s: Spoiled, kind: str, rng: random.Random) -> None:
    try:
        data = json.loads(s.body)
    except ValueError:
        return _mutate_pairs(s, kind, rng)
    for _ in range(rng.randint(1, 4)):
        data = _mutate_node(data, rng)
    s.body = json.dumps(data, allow_nan=True).encode()
    s.done.append("JSON values changed")
    return None


def _mutate_node(data: Any, rng: random.Random) -> Any:
    """`data` with one node somewhere inside it replaced, removed or renamed."""
    if not isinstance(data, dict | list) or not data or rng.random() < 0.15:
        return rng.choice(BAD_JSON_VALUES)
    if isinstance(data, list):
        index = rng.randrange(len(data))
        data[index] = _mutate_node(data[index], rng)
        return data
    key = rng.choice(list(data))
    roll = rng.random()
    if roll < 0.15:
        del data[key]
    elif roll < 0.25:
        data[key + rng.choice((" ", "x", "²"))] = data.pop(key)
    else:
        data[key] = _mutate_node(data[key], rng)
    return data


def _mutate_pairs(s: Spoiled, kind: str, rng: random.Random) -> None:
    if len(s.body) > 100_000:
        return _truncate(s, kind, rng)  # re-encoding megabytes costs more than it finds
    pairs = parse_qsl(s.body.decode("utf-8", "replace"), keep_blank_values=True)
    if not pairs:
        s.body = b"status=" + rng.choice(BAD_NUMBERS).encode()
    for _ in range(rng.randint(1, 3)):
        if not pairs:
            break
        index = rng.randrange(len(pairs))
        name, value = pairs[index]
        roll = rng.random()
        if roll < 0.4:
            pairs[index] = (name, rng.choice(BAD_NUMBERS))
        elif roll < 0.6:
            del pairs[index]
        elif roll < 0.8:
            pairs[index] = (name + rng.choice(("[]", "[x]", "[0][0]", "[", "]")), value)
        else:
            pairs.append(("status_message" + rng.choice(("", "[0]", "[9]")), value))
    s.body = urlencode(pairs).encode()
    s.done.append("pairs changed")
    return None


def _other_format(s: Spoiled, kind: str, rng: random.Random) -> None:
    if kind == "aicore":
        payload: Any = rng.choice(({"status": 0, "leads": {}}, [1, 2], {"status": "0"}, "ok"))
        s.body = json.dumps(payload).encode()
        _set_header(s, "Content-Type", "application/json")
        s.done.append("JSON for a pairs API")
    else:
        s.body = b"status=success&message=ok&data%5Bid%5D=1&Entity=1"
        _set_header(s, "Content-Type", "application/x-www-form-urlencoded")
        s.done.append("URL-encoded for a JSON API")


def _wrong_root(s: Spoiled, kind: str, rng: random.Random) -> None:
    s.body = json.dumps(rng.choice(([], {}, None, "text", 12, [{}], [[]], {"data": None}))).encode()
    s.done.append("wrong root")


def _content_type(s: Spoiled, kind: str, rng: random.Random) -> None:
    base = rng.choice(CONTENT_TYPES)
    charset = rng.choice(CHARSETS)
    value = f"{base}; charset={charset}" if rng.random() < 0.7 else base
    _set_header(s, "Content-Type", value)
    if charset.startswith("utf-16") and rng.random() < 0.5:
        s.body = s.body.decode("utf-8", "replace").encode("utf-16")
    s.done.append(f"Content-Type {value!r}")


def _encoding(s: Spoiled, kind: str, rng: random.Random) -> None:
    _set_header(s, "Content-Encoding", rng.choice(("gzip", "deflate", "br", "zstd", "x-what")))
    s.done.append("bad Content-Encoding")


def _wire(s: Spoiled, kind: str, rng: random.Random) -> None:
    s.wire = rng.choice(("drop", "drop", "cut", "cut", "cut", "trickle", "hang", "hang"))
    if s.wire == "cut" and len(s.body) < 2:
        s.body = b'{"status": "success", "data": [1, 2, 3]}'
    s.done.append(s.wire)


def _huge(s: Spoiled, kind: str, rng: random.Random) -> None:
    # Rare: each one streams 64 MiB through the loopback.
    if rng.random() < 0.1:
        s.wire = "huge"
        s.done.append("over 64 MiB")
    else:
        s.body = b'{"a": "' + b"x" * rng.choice((10**5, 10**6, 3 * 10**6)) + b'"}'
        s.done.append("large")


_SPOILERS = (
    _status, _status, _numeric_header, _numeric_header, _numeric_header, _truncate,
    _truncate, _empty, _html, _binary, _deep, _mutate_json, _mutate_json, _mutate_json,
    _mutate_json, _other_format, _wrong_root, _content_type, _content_type, _encoding,
    _wire, _wire, _huge,
)  # fmt: skip


def _set_header(s: Spoiled, name: str, value: str) -> None:
    s.headers = [(k, v) for k, v in s.headers if k.lower() != name.lower()]
    s.headers.append((name, value))
