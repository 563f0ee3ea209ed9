"""Finding records in one browser: filters by a cell's value, opening a record by its id or
URL, and the search over fetched records that stands in for a filter the API does not have.

Composed into EntityBrowser as `browser.finding`; the filter bar and the menus call it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from crmdesk.api import Backend, FieldSpec
from crmdesk.exporting import (
    Criterion,
    FilterField,
    Matches,
    filter_fields,
    parse_record_ref,
    search,
)
from crmdesk.ui.browser.listing import ListRequest

if TYPE_CHECKING:
    from crmdesk.ui.browser.browser import EntityBrowser

# A search over fetched records asks for pages this big (or the entity's most, if smaller).
SEARCH_PAGE_SIZE = 1000


class Finding:
    def __init__(self, browser: EntityBrowser) -> None:
        self._browser = browser
        self._matches: tuple[object, Matches] | None = None

    def forget(self) -> None:
        """Drop the kept search result (a refresh asks the server again)."""
        self._matches = None

    def _offered(self, field: str) -> FilterField | None:
        browser = self._browser
        offered = filter_fields(browser.entity, browser.model.fields)
        return next((f for f in offered if f.key == field), None)

    def place(self, field: str) -> str | None:
        """Where a filter on `field` is applied ("on the server", "locally"), None if nowhere."""
        found = self._offered(field)
        if found is None:
            return None
        return "on the server" if found.server else "locally"

    def filter_by(self, field: str, value: str) -> None:
        found = self._offered(field)
        if found is not None:
            self._browser.filters.add(Criterion(found, value))

    def open_by_id(self, text: str) -> None:
        """Open the record an id or URL names (in its own entity's tab if the URL says another
        entity); empty text goes back from a record to the list."""
        browser = self._browser
        ref = parse_record_ref(text, browser.session.entities)
        if ref is None:
            browser.back_to_list()
            return
        browser.open_related(ref.entity or browser.entity.name, ref.record_id)

    async def matches(
        self, backend: Backend, fields: tuple[FieldSpec, ...], request: ListRequest
    ) -> Matches:
        """Every record the server filters give, through the local filter; kept while only
        the page changes, so paging through the matches asks the server nothing."""
        key = (request.criteria, request.sort)
        if self._matches is not None and self._matches[0] == key:
            return self._matches[1]
        browser = self._browser
        if fields != browser.model.fields:
            browser.model.set_fields(fields)
        size = min(browser.entity.max_page_size, SEARCH_PAGE_SIZE)
        query = replace(request.query(size), page=1)

        def progress(scanned: int, total: int | None, found: int) -> None:
            of = f" of {total:,}" if total is not None else ""
            browser.paging.update_wait(
                f"Filtering locally… looked at {scanned:,}{of} records, {found:,} match"
            )

        columns = browser.view_columns(visible_only=False)
        found = await search(
            backend, browser.entity.name, query, request.filter.local, columns, on_progress=progress
        )
        self._matches = (key, found)
        return found
