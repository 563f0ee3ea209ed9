"""Whether one exchange matches a HistoryQuery, in memory: for the calls the inspector shows
live, before (or without) the store, so a filter means the same for both.

Words are matched as the store's full-text index matches them: whole words, case and accents
ignored, `word*` as a prefix, and a term with punctuation inside (`lead/convert`) as those
words in that order. A record id is a whole token, so 123 does not find 1234.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from crmdesk.api import Exchange
from crmdesk.history.sqlite_schema import text_row
from crmdesk.history.store import HistoryQuery, StatusClass

_TOKEN = re.compile(r"[^\W_]+")


def matches(query: HistoryQuery, exchange: Exchange) -> bool:
    """True when the store would find `exchange` with `query`."""
    if query.connection_id is not None and exchange.connection_id != query.connection_id:
        return False
    if query.method and exchange.method.upper() != query.method:
        return False
    if query.status is not None and exchange.status != query.status:
        return False
    if query.status_class is not None and not _in_class(exchange.status, query.status_class):
        return False
    if query.since is not None and exchange.started_at < query.since:
        return False
    if query.until is not None and exchange.started_at >= query.until:
        return False
    if query.auth_only and not exchange.auth:
        return False
    terms = [term for term in query.text.split() if _TOKEN.search(term.rstrip("*"))]
    record_id = (query.record_id or "").strip()
    if record_id and not _TOKEN.search(record_id):
        return False  # an id with no letters or digits is in no URL or body
    if not terms and not record_id:
        return True
    texts = [_tokens(text) for text in text_row(exchange)]
    if record_id and not any(_has_phrase(t, _term_tokens(record_id), False) for t in texts):
        return False
    for term in terms:
        prefix = term.endswith("*")
        words = _term_tokens(term.rstrip("*"))
        if not any(_has_phrase(tokens, words, prefix) for tokens in texts):
            return False
    return True


def _in_class(status: int | None, status_class: StatusClass) -> bool:
    bounds = status_class.status_range()
    if bounds is None:
        return status is None
    return status is not None and bounds[0] <= status < bounds[1]


@lru_cache(maxsize=256)
def _term_tokens(term: str) -> tuple[str, ...]:
    return _tokens(term)


def _tokens(text: str) -> tuple[str, ...]:
    # unicode61 with remove_diacritics: case-folded, accents taken off.
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in folded if not unicodedata.combining(char))
    return tuple(_TOKEN.findall(plain))


def _has_phrase(tokens: tuple[str, ...], words: tuple[str, ...], prefix: bool) -> bool:
    if not words:
        return False
    last = len(words) - 1
    for start in range(len(tokens) - last):
        if all(tokens[start + i] == words[i] for i in range(last)):
            final = tokens[start + last]
            if final == words[last] or (prefix and final.startswith(words[last])):
                return True
    return False
