"""Find by id: what a pasted id or record URL points at."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

from crmdesk.api import EntityInfo

# Query parameters that name a record in the URLs of the APIs and their web apps.
_ID_PARAMS = ("id", "record_id", "recordid", "externalid")


@dataclass(frozen=True, slots=True)
class RecordRef:
    """A record id, and the entity it belongs to when the URL said (None: the current one)."""

    entity: str | None
    record_id: str


def _entity_named(word: str, entities: Sequence[EntityInfo]) -> str | None:
    folded = word.casefold()
    for info in entities:
        names = {info.name.casefold(), info.label.casefold()}
        singular = {name.removesuffix("s") for name in names}
        if folded in names or folded in singular or folded.removesuffix("s") in singular:
            return info.name
    return None


def parse_record_ref(text: str, entities: Sequence[EntityInfo] = ()) -> RecordRef | None:
    """The record `text` names: a bare id, or a URL whose path has an entity then an id
    (…/lead/QWE4R5T6), whose query has an id parameter (?lead_id=12), or that ends in an id.
    None for empty text."""
    text = text.strip().strip("\"'<>").strip()
    if not text:
        return None
    if "://" not in text:
        return RecordRef(None, text)
    url = urlsplit(text)
    for name, value in parse_qsl(url.query):
        lowered = name.casefold()
        # lead_id, contactId, id: the name's stem may say the entity too.
        if value and (lowered in _ID_PARAMS or lowered.endswith("_id") or name.endswith("Id")):
            stem = lowered.removesuffix("_id").removesuffix("id")
            return RecordRef(_entity_named(stem, entities) if stem else None, value)
    segments = [unquote(s) for s in url.path.split("/") if s]
    for index in range(len(segments) - 2, -1, -1):
        entity = _entity_named(segments[index], entities)
        if entity is not None:
            return RecordRef(entity, segments[index + 1])
    if segments:
        return RecordRef(None, segments[-1])
    return None
