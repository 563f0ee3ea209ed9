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
# The combining marks NFKD leaves after a letter ("e" + U+0301 for "é").
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


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
    wanted = [_pattern(term.rstrip("*"), term.endswith("*")) for term in terms]
    if record_id:
        wanted.append(_pattern(record_id, False))
    texts = [_fold(text) for text in text_row(exchange)]
    return all(
        any(first in text and pattern.search(text) for text in texts) for first, pattern in wanted
    )


def _in_class(status: int | None, status_class: StatusClass) -> bool:
    bounds = status_class.status_range()
    if bounds is None:
        return status is None
    return status is not None and bounds[0] <= status < bounds[1]


def _fold(text: str) -> str:
    """Lower case, accents taken off (unicode61 with remove_diacritics): cheap for ASCII."""
    if text.isascii():
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text)).lower()


@lru_cache(maxsize=256)
def _pattern(term: str, prefix: bool) -> tuple[str, re.Pattern[str]]:
    """A term's words in that order, each a whole word (the last a prefix with `*`), with
    anything that is not a word between them: what the word index calls a phrase. With its
    first word, which a text must hold for the pattern to be worth trying."""
    words = _TOKEN.findall(_fold(term))
    between = r"[\W_]+".join(re.escape(word) for word in words)
    tail = "" if prefix else r"(?![^\W_])"
    return words[0], re.compile(r"(?<![^\W_])" + between + tail)
