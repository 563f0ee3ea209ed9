"""What page of a list is wanted, and how a shown page is described in words (no Qt here)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from crmdesk.api import FieldSpec, Page, Query, SortKey
from crmdesk.exporting import Criterion, Matches, SplitFilter, split

PAGE_SIZES = (10, 25, 50, 100, 250, 500)
DEFAULT_PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class ListRequest:
    """The page the user asked for, with the filter and sort in force; turned into a `Query`
    for the backend. With `record_id`, one record found by id instead of a list."""

    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    sort: SortKey | None = None
    criteria: tuple[Criterion, ...] = ()
    record_id: str | None = None

    @property
    def filter(self) -> SplitFilter:
        return split(self.criteria)

    def query(self, page_size: int | None = None) -> Query:
        return Query(
            page=self.page,
            page_size=page_size or self.page_size,
            sort=self.sort,
            filters=self.filter.server,
        )

    def at(self, page: int) -> ListRequest:
        return replace(self, page=max(1, page))

    def sized(self, page_size: int) -> ListRequest:
        # Stay near the record at the top of the page the user was looking at.
        first = (self.page - 1) * self.page_size
        return replace(self, page=first // page_size + 1, page_size=page_size)

    def sorted_by(self, field: str) -> ListRequest:
        """A header click: ascending, then descending, then back to the server's own order."""
        if self.sort is None or self.sort.field != field:
            sort: SortKey | None = SortKey(field)
        elif not self.sort.descending:
            sort = SortKey(field, descending=True)
        else:
            sort = None
        return replace(self, page=1, sort=sort)

    def filtered(self, criteria: tuple[Criterion, ...]) -> ListRequest:
        return replace(self, page=1, criteria=criteria, record_id=None)

    def finding(self, record_id: str | None) -> ListRequest:
        return replace(self, record_id=record_id)


def page_sizes(max_page_size: int) -> tuple[int, ...]:
    sizes = tuple(size for size in PAGE_SIZES if size <= max_page_size)
    return sizes or (max_page_size,)


def fitting_page_size(wanted: int | None, max_page_size: int) -> int:
    sizes = page_sizes(max_page_size)
    if wanted in sizes:
        return wanted
    return DEFAULT_PAGE_SIZE if DEFAULT_PAGE_SIZE in sizes else sizes[-1]


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def describe_page(page: Page, fields: tuple[FieldSpec, ...], matches: Matches | None = None) -> str:
    """ "Page 2 of 24 · 237 records · sorted by Last name ▼ on the server"; with `matches`,
    what a local filter found among the records it looked at."""
    parts = [f"Page {page.page:,}" + (f" of {page.total_pages:,}" if page.total_pages else "")]
    if matches is not None:
        parts.append(describe_matches(matches))
    elif page.total_records is not None:
        parts.append(plural(page.total_records, "record"))
    if matches is None or page.sort is not None:
        parts.append(describe_sort(page, fields))
    return " · ".join(parts)


def describe_matches(matches: Matches) -> str:
    """ "12 of 3,000 records match, filtered locally"."""
    looked = f"{matches.scanned:,}" if matches.complete else f"the first {matches.scanned:,}"
    found = len(matches.records)
    more = "" if matches.complete else "+"
    return f"{found:,}{more} of {looked} records match, filtered locally"


def describe_sort(page: Page, fields: tuple[FieldSpec, ...]) -> str:
    if page.sort is None:
        # A list crmdesk pages itself comes whole from the server, in the server's order.
        return "in the server's order" if page.paged_by_server else "paged by crmdesk"
    label = next((f.label for f in fields if f.name == page.sort.field), page.sort.field)
    if page.sorted_by_server:
        where = "on the server"
    elif page.paged_by_server:
        # The server chose which records are on this page; only their order is ours.
        where = "locally, within this page"
    else:
        where = "locally"
    return f"sorted by {label} {page.sort.arrow} {where}"


def loading_words(request: ListRequest, entity_label: str, *, failed: bool = False) -> str:
    """What a load is doing, for the paging bar while it runs and the banner if it fails."""
    if request.record_id is not None:
        return f"Opening {entity_label.lower()} {request.record_id}"
    if request.filter.local:
        return "Filtering locally" + (f" {entity_label}" if failed else "")
    return f"Loading page {request.page:,}" + (f" of {entity_label}" if failed else "")


def describe_record(record_id: str, entity_label: str) -> str:
    return f"{entity_label}: record {record_id}, opened by its id"


def empty_text(page: Page, entity_label: str, *, filtered: bool = False) -> str:
    noun = entity_label.lower()
    if filtered and page.page == 1:
        return f"No {noun} match the filter."
    if page.total_records == 0 or (page.page == 1 and page.total_records is None):
        return f"There are no {noun} yet."
    return f"No {noun} on this page."
