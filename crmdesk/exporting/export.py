"""Export a view (its filters, sort and visible columns) to a file, every page of it.

Pages come through `Backend.list`, so the connection's rate-limit governor paces them; a page
refused for a spent quota is asked for again once it resets, however long that is (the
export is long work the person watches and can cancel), and the wait is said through
`ExportProgress.waiting_until`. Rows are written
as each page arrives and none are kept: memory does not grow with the number of records. CSV
rows are written on the loop (a page of them takes milliseconds), XLSX and JSON ones in a
worker thread. The file is written under a temporary name beside the chosen one and renamed
when complete, so a cancelled or failed export leaves nothing under that name.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from crmdesk.api import Backend, Query, RateLimitState
from crmdesk.exporting.paging import LocalFilter, every_page
from crmdesk.exporting.values import Column
from crmdesk.exporting.writers import ExportFormat, open_writer

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ExportView:
    """What to export: an entity's list as the user sees it."""

    entity: str
    title: str
    columns: tuple[Column, ...]
    query: Query  # sort, server filters and the page size to fetch with
    local: LocalFilter = field(default_factory=lambda: LocalFilter(()))
    # What the local filter looks at, when more than the exported columns (hidden ones too).
    searched: tuple[Column, ...] = ()


@dataclass(frozen=True, slots=True)
class ExportProgress:
    records: int
    pages: int
    total_records: int | None = None
    total_pages: int | None = None
    waiting_until: float | None = None  # the API quota is spent; fetching resumes then


@dataclass(frozen=True, slots=True)
class Exported:
    path: Path
    records: int
    pages: int


async def export_view(
    backend: Backend,
    view: ExportView,
    path: Path,
    fmt: ExportFormat,
    *,
    field_names: bool = False,
    on_progress: Callable[[ExportProgress], None] | None = None,
) -> Exported:
    """Write every page of `view` to `path` as `fmt`; the header has column titles, or field
    names with `field_names`. Cancelling it leaves no file at `path`."""
    path = Path(path)
    temporary = _temporary_beside(path)
    progress = ExportProgress(0, 0)

    def tell(state: ExportProgress) -> None:
        nonlocal progress
        progress = state
        if on_progress is not None:
            on_progress(state)

    def quota(state: RateLimitState) -> None:
        if state.waiting_until != progress.waiting_until:
            tell(replace(progress, waiting_until=state.waiting_until))

    stop_watching = backend.governor.subscribe(quota)
    written = False
    try:
        writer = await _in_thread(
            open_writer, fmt, temporary, view.columns, view.title, names=field_names
        )
        try:
            match = view.local.matcher(view.searched or view.columns) if view.local else None
            paged = every_page(backend, view.entity, view.query, wait_for_quota=True)
            async with contextlib.aclosing(paged) as pages:
                async for page in pages:
                    rows: Sequence[Any] = page.records
                    if match is not None:
                        rows = [record for record in rows if match(record)]
                    if fmt is ExportFormat.CSV:
                        # A page of CSV is a few milliseconds of work: a thread would only
                        # add its hand-offs (and contention for the GIL) to it.
                        writer.write(rows)
                    else:
                        await _in_thread(writer.write, rows)
                    tell(
                        ExportProgress(
                            progress.records + len(rows),
                            progress.pages + 1,
                            page.total_records if match is None else None,
                            page.total_pages,
                            backend.governor.state.waiting_until,
                        )
                    )
            await _in_thread(writer.finish)
        except BaseException:
            await _in_thread(writer.close)
            raise
        await _in_thread(os.replace, temporary, path)
        written = True
        return Exported(path, progress.records, progress.pages)
    finally:
        stop_watching()
        if not written:
            temporary.unlink(missing_ok=True)


def suggested_name(title: str, fmt: ExportFormat) -> str:
    """ "Leads - CMDataManager sandbox.csv": a file name without characters systems refuse."""
    safe = "".join(c if c.isalnum() or c in " -_.()" else " " for c in title)
    return f"{' '.join(safe.split()) or 'export'}.{fmt.suffix}"


def _temporary_beside(path: Path) -> Path:
    # Beside the target, so the final rename stays on one file system (and is atomic).
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(handle)
    return Path(name)


async def _in_thread(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`fn` in a worker thread. A cancel waits for it to end first: nothing may close or
    delete a file a thread is still writing."""
    future = asyncio.get_running_loop().run_in_executor(None, lambda: fn(*args, **kwargs))
    try:
        return await asyncio.shield(future)
    except asyncio.CancelledError:
        with contextlib.suppress(Exception):
            await future
        raise
