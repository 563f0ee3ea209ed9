"""Redactor: the one place that removes secrets from what crmdesk records or shows.

Secrets are removed by name (headers, query and form parameters, JSON keys that always hold
secrets) and by value (the credentials of the connection and any token it obtained), so a
secret echoed back in a URL or a response body is caught as well.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import threading
from collections import deque
from collections.abc import Iterable
from urllib.parse import quote, quote_plus, unquote_plus

REDACTED = "[REDACTED]"

# Names whose values are secret whatever the API. Compared case-insensitively,
# with "-" and "_" treated alike.
_SECRET_NAMES = frozenset(
    {
        "authorization",
        "proxy_authorization",
        "cookie",
        "set_cookie",
        "x_auth_token",
        "x_api_key",
        "api_key",
        "apikey",
        "client_secret",
        "password",
        "passwd",
        "secret",
        "token",
        "access_token",
        "refresh_token",
        "api_password",
        "ai_login_password",
    }
)

# Values shorter than this are not replaced by value: a four-letter secret would blank out
# every matching word of a response. They are still removed wherever they appear by name.
MIN_VALUE_LENGTH = 6
# Tokens issued one after another (logins, renewals) are remembered this many at a time: an
# exchange is redacted when it is recorded, so a long-superseded token need not be, and the
# pattern every recorded exchange is matched against stays as small as on the first call.
RECENT_TOKENS = 4
# JSON nested deeper is redacted by its text (`_json_keys_by_regex`), not walked.
_MAX_WALK_DEPTH = 100


# Headers whose value is "<scheme> <credentials>": the credentials are learnt as secrets.
_CREDENTIAL_HEADERS = frozenset({"authorization", "proxy_authorization", "x_auth_token"})


def _norm(name: str) -> str:
    return name.strip().lower().replace("-", "_")


def _forms(value: str) -> set[str]:
    """The ways a secret is written in URLs, bodies and replies, each redacted on sight.

    Raw; URL-quoted with %20 and with + (upper- and lower-case hex; and quoted twice, as in
    a URL inside a URL); JSON-escaped with \\u escapes and without (httpx writes request
    bodies without them); base64 (standard and URL-safe, padding or not).
    """
    quoted = {quote(value, safe=""), quote_plus(value)}
    quoted |= {quote(form, safe="") for form in quoted} | {quote_plus(form) for form in quoted}
    quoted |= {_HEX_ESCAPE.sub(lambda m: m.group(0).lower(), form) for form in quoted}
    raw = value.encode("utf-8")
    encoded = {base64.b64encode(raw), base64.urlsafe_b64encode(raw)}
    return {
        value,
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
        *quoted,
        *(form.decode("ascii").rstrip("=") for form in encoded),
    }


_HEX_ESCAPE = re.compile(r"%[0-9A-F]{2}")


class Redactor:
    """Knows the secrets of one connection and strips them from text and bytes."""

    def __init__(self, secrets: Iterable[str] = (), extra_names: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._names = _SECRET_NAMES | {_norm(n) for n in extra_names}
        # The connection's own credentials, kept for its life; tokens, only the recent ones.
        self._lasting: set[str] = set()
        self._tokens: deque[frozenset[str]] = deque(maxlen=RECENT_TOKENS)
        self._needles: tuple[str, ...] = ()
        self._pattern: re.Pattern[str] | None = None
        for secret in secrets:
            self.add_secret(secret, lasting=True)

    def add_secret(self, value: str | None, *, lasting: bool = False) -> None:
        """Remember a secret so it is redacted from now on.

        A token just issued (the default) is remembered among the last `RECENT_TOKENS`; a
        `lasting` secret (a credential) for the life of the redactor.
        """
        if not value or len(value) < MIN_VALUE_LENGTH or value == REDACTED:
            return
        forms = frozenset(_forms(value))
        with self._lock:
            if forms <= self._lasting or forms in self._tokens:
                return  # known already: no new pattern to build
            if lasting:
                self._lasting |= forms
            else:
                self._tokens.append(forms)
            values = self._lasting.union(*self._tokens)
            # Longest first, so a secret that contains another is removed whole.
            alternatives = sorted(values, key=len, reverse=True)
            self._needles = tuple(alternatives)
            self._pattern = re.compile("|".join(re.escape(v) for v in alternatives))

    @property
    def size(self) -> int:
        """How many secret forms are remembered (bounded however many tokens were added)."""
        return len(self._needles)

    def is_secret_name(self, name: str) -> bool:
        return _norm(name) in self._names

    def text(self, text: str) -> str:
        pattern = self._pattern
        if pattern is None:
            return text
        # Plain substring tests are far quicker than the alternation over a large body that
        # holds no secret, which is nearly every body.
        if not any(value in text for value in self._needles):
            return text
        return pattern.sub(REDACTED, text)

    def body(self, body: bytes, *, by_name: bool = True) -> bytes:
        """Redact a body by value and, for JSON and form bodies, by key name.

        Looking for secrets by name means parsing the body; `by_name=False` skips that for
        bodies known to hold no secret fields (list replies, which can be large).
        """
        if not body:
            return body
        decoded = body.decode("utf-8", errors="surrogateescape")
        redacted = self._by_name(decoded) if by_name else decoded
        redacted = self.text(redacted)
        if redacted == decoded:
            return body
        return redacted.encode("utf-8", errors="surrogateescape")

    def headers(self, headers: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
        """Secret-named headers become REDACTED; the credentials in an Authorization header
        are learnt first, so the same token (or Basic pair) echoed anywhere else goes too."""
        pairs = tuple(headers)
        for name, value in pairs:
            if _norm(name) in _CREDENTIAL_HEADERS:
                self._learn_credentials(value)
        # A URL in a header (Location, Link) has its query redacted by name, as a URL has.
        return tuple(
            (name, REDACTED if self.is_secret_name(name) else self.url(value))
            for name, value in pairs
        )

    def _learn_credentials(self, value: str) -> None:
        scheme, sep, credentials = value.strip().partition(" ")
        credentials = credentials.strip()
        if not sep or not credentials:
            return
        self.add_secret(credentials)
        if scheme.lower() == "basic":
            try:
                pair = base64.b64decode(credentials, validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                return
            self.add_secret(pair.partition(":")[2])

    def url(self, url: str) -> str:
        return self.text(self._query_by_name(url))

    def _by_name(self, text: str) -> str:
        stripped = text.lstrip()
        if stripped[:1] in ("{", "["):
            try:
                data = json.loads(text)
                cleaned = self._clean_json(data, 0)
            except (ValueError, RecursionError, _TooDeep):
                return self._json_keys_by_regex(text)
            if cleaned != data:
                return json.dumps(cleaned, ensure_ascii=False)
            return text
        if "=" in text and "\n" not in text:
            return self._pairs_by_name(text)
        return text

    def _clean_json(self, data: object, depth: int) -> object:
        if depth > _MAX_WALK_DEPTH:
            raise _TooDeep
        if isinstance(data, dict):
            return {
                k: (
                    REDACTED
                    if self.is_secret_name(str(k)) and v
                    else self._clean_json(v, depth + 1)
                )
                for k, v in data.items()
            }
        if isinstance(data, list):
            return [self._clean_json(v, depth + 1) for v in data]
        return data

    def _json_keys_by_regex(self, text: str) -> str:
        # Malformed JSON still shows in the inspector; strip "secret": "value" pairs in it.
        def repl(match: re.Match[str]) -> str:
            key = match.group(1)
            if self.is_secret_name(key):
                return f'"{key}"{match.group(2)}"{REDACTED}"'
            return match.group(0)

        return re.sub(r'"([^"\\]{1,64})"(\s*:\s*)"(?:[^"\\]|\\.)*"', repl, text)

    def _pairs_by_name(self, text: str) -> str:
        parts = []
        for pair in text.split("&"):
            name, sep, value = pair.partition("=")
            if sep and value and self.is_secret_name(unquote_plus(name)):
                parts.append(f"{name}={REDACTED}")
            else:
                parts.append(pair)
        return "&".join(parts)

    def _query_by_name(self, url: str) -> str:
        base, sep, query = url.partition("?")
        if not sep:
            return url
        query, hash_sep, fragment = query.partition("#")
        return f"{base}?{self._pairs_by_name(query)}{hash_sep}{fragment}"


class _TooDeep(Exception):
    """JSON too deeply nested to walk: redacted by its text instead."""
