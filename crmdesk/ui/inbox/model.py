"""InboxModel: the inbox as a Qt table model that stays smooth with 100,000 stored messages.

It never loads the list. `rowCount` is the number of matching messages; `data` answers from
a small cache of rows near the ones the view asked for (what is on screen and a margin), and
a miss asks the store for that block of rows (STACK-NOTES B7, Anki's table model).

Positions are kept against a snapshot: row 0 is the newest message at the last refresh, and
every fetch asks for messages no newer than it (`before=` the cursor just above it), so rows
that arrive meanwhile can never shift a fetched block. New messages are inserted at the top
in one `beginInsertRows` per refresh; the store's change callbacks only mark the model dirty,
and a refresh runs at most every `REFRESH_MS` (one at a time), so 500 messages a second cost
the GUI a few small queries a second, not 500 repaints.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from crmdesk.inbox import InboxChange, InboxQuery, StoredMessage, StoreError
from crmdesk.ui.inbox.rows import Row, row_of, tip_of
from crmdesk.ui.inbox.snapshot import Cursor, Looked, MessageSource, Since, look_again
from crmdesk.ui.tasks import Op, TaskRunner

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
T = TypeVar("T")

COLUMNS = ("Received", "Connection", "Type", "Summary")
RECEIVED, CONNECTION, TYPE, SUMMARY = range(len(COLUMNS))
# The view asks for rows by position; the store is asked for this many at a time.
BLOCK = 100
# Rows held at most: a screen or two of rows and the blocks around them.
KEEP_ROWS = 1000
# The newest rows read at every refresh while the view shows the top: 500 a second bring 75
# a refresh (more are counted, and loaded when seen).
HEAD = BLOCK
REFRESH_MS = 150
MESSAGE_ROLE = Qt.ItemDataRole.UserRole + 1
_LOADING = "loading…"
_GREY = QBrush(QColor("#80868b"))


class InboxModel(QAbstractTableModel):
    """The messages matching `query`, newest first. `refreshed` fires after every refresh
    (with how many rows it added at the top) so the view can keep the user's place.

    Overrides `rowCount`, `columnCount`, `data` and `headerData`. `data` handles DisplayRole
    (text formatted once per row), FontRole (bold while unread), ToolTipRole (the whole
    summary, when and how often it came), ForegroundRole (grey while a row is loading) and
    MESSAGE_ROLE (the StoredMessage, None while loading); every other role answers None.
    """

    refreshed = Signal(int)  # rows inserted at the top

    def __init__(
        self, source: MessageSource, tasks: TaskRunner, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._tasks = tasks
        self._query = InboxQuery()
        self._total = 0
        self._rows: dict[int, Row] = {}
        self._top_id: int | None = None
        self._ceiling: Cursor | None = None  # fetches see nothing newer than row 0
        self._generation = 0
        self._inserted = 0  # rows inserted at the top so far (shifts in-flight fetches)
        self._wanted: dict[int, None] = {}  # block starts asked for, newest ask last
        self._fetching = False
        self._refreshing = False
        self._dirty = False
        self._must_reset = True
        self._changed_ids: set[int] = set()
        self._removed_ids: set[int] = set()
        self._last_asked = 0
        self._live = True
        self._stopped = False
        self._bold = QFont()
        self._bold.setBold(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._refresh_now)

    # -- what the dock asks ------------------------------------------------------------------

    @property
    def query(self) -> InboxQuery:
        return self._query

    def set_query(self, query: InboxQuery) -> None:
        """Show the messages matching `query` (a reset: the list is another list)."""
        if query == self._query and not self._must_reset:
            return
        self._query = query
        self._must_reset = True
        self._generation += 1
        self.refresh()

    def refresh(self) -> None:
        """Look at the store again now (a reset when the query changed)."""
        self._dirty = True
        self._timer.stop()
        self._refresh_now()

    def store_changed(self, change: InboxChange) -> None:
        """The store's subscriber: note what changed; a refresh follows within REFRESH_MS."""
        if change.read_changed and self._query.unread_only:
            # Rows leave from anywhere in the list: count it again from the start.
            self._must_reset = True
        # Retention takes the oldest, so removed rows leave from the bottom; `_take` starts
        # again only if one of them was held anywhere else.
        self._removed_ids.update(change.removed)
        self._changed_ids.update(change.repeated, change.read_changed)
        self._dirty = True
        if self._live and not self._timer.isActive():
            self._timer.start()

    def stop(self) -> None:
        """Ask the store nothing more (the window closed; the Desk closes the store next)."""
        self._stopped = True
        self._live = False
        self._timer.stop()

    def set_live(self, live: bool) -> None:
        """Refresh on changes only while `live` (the list is on screen); catch up when it
        comes back."""
        self._live = live and not self._stopped
        if self._live and self._dirty and not self._timer.isActive():
            self._timer.start()

    def message_at(self, row: int) -> StoredMessage | None:
        held = self._rows.get(row)
        return held.message if held is not None else None

    def row_of_id(self, message_id: int) -> int | None:
        """The row of a message among those held (None if it is not near the screen)."""
        for row, held in self._rows.items():
            if held.message.id == message_id:
                return row
        return None

    def held(self) -> int:
        """How many rows the model holds (a test's window into "never loads the list")."""
        return len(self._rows)

    def update_messages(self, messages: list[StoredMessage]) -> None:
        """Show these messages' new state where they are held (after mark read, say)."""
        fresh = {message.id: message for message in messages}
        for row, held in list(self._rows.items()):
            message = fresh.get(held.message.id)
            if message is not None and message != held.message:
                self._rows[row] = row_of(message)
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def set_read_locally(self, ids: set[int], read: bool) -> None:
        """Show rows read (or unread) at once; the store's change confirms it a moment later."""
        self.update_messages(
            [replace(h.message, read=read) for h in self._rows.values() if h.message.id in ids]
        )

    # -- QAbstractTableModel -------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Overrides QAbstractItemModel.rowCount: every matching message (0 under a row)."""
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Overrides QAbstractItemModel.columnCount: received, connection, type, summary."""
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Overrides QAbstractItemModel.data for DisplayRole, FontRole, ToolTipRole,
        ForegroundRole and MESSAGE_ROLE; a row not held yet is asked for, and shows as
        loading until it comes."""
        if not index.isValid():
            return None
        row = index.row()
        held = self._rows.get(row)
        if role == Qt.ItemDataRole.DisplayRole:
            self._last_asked = row
        if held is None:
            if role == Qt.ItemDataRole.DisplayRole:
                self._want(row)
                return _LOADING if index.column() == RECEIVED else ""
            if role == Qt.ItemDataRole.ForegroundRole:
                return _GREY
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return held.texts[index.column()]
        if role == Qt.ItemDataRole.FontRole:
            return None if held.message.read else self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip_of(held.message)
        if role == MESSAGE_ROLE:
            return held.message
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        """Overrides QAbstractItemModel.headerData: the column titles (DisplayRole only)."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        return COLUMNS[section] if role == Qt.ItemDataRole.DisplayRole else None

    # -- rows on demand -----------------------------------------------------------------------

    def _want(self, row: int) -> None:
        start = row - row % BLOCK
        self._wanted.pop(start, None)
        self._wanted[start] = None
        if not self._fetching:
            self._fetching = True
            # After this paint: the view asks for every visible row before we fetch any.
            QTimer.singleShot(0, self._fetch_next)

    def _fetch_next(self) -> None:
        # The newest ask first: a user dragging the scroll bar wants where it stopped.
        while self._wanted:
            start = next(reversed(self._wanted))
            del self._wanted[start]
            if start < self._total and any(
                r not in self._rows for r in range(start, min(start + BLOCK, self._total))
            ):
                break
        else:
            self._fetching = False
            return
        before_row = self._rows.get(start - 1) if start > 0 else None
        generation, inserted = self._generation, self._inserted
        query, ceiling = self._query, self._ceiling
        cursor = before_row.message.cursor if before_row is not None else None

        async def work() -> list[StoredMessage]:
            if cursor is not None:  # keyset from the row above: no rows skipped to get here
                return await self._source.page(query, before=cursor, limit=BLOCK)
            return await self._source.window(query, offset=start, limit=BLOCK, before=ceiling)

        self._run(
            work,
            lambda messages: self._fetched(start, messages, generation, inserted),
            name="inbox rows",
            after=self._fetch_next,
        )

    def _fetched(
        self, start: int, messages: list[StoredMessage], generation: int, inserted: int
    ) -> None:
        if generation != self._generation:
            return
        start += self._inserted - inserted  # rows that came at the top meanwhile
        last = min(start + len(messages), self._total) - 1
        for offset, message in enumerate(messages[: last - start + 1]):
            self._rows[start + offset] = row_of(message)
        self._forget_far_rows()
        if last >= start:
            self.dataChanged.emit(self.index(start, 0), self.index(last, len(COLUMNS) - 1))

    def _forget_far_rows(self) -> None:
        if len(self._rows) <= KEEP_ROWS:
            return
        # The rows nearest the last one asked for, and the newest (the next refresh's top).
        near = self._last_asked
        kept = sorted(self._rows, key=lambda row: abs(row - near))[: KEEP_ROWS - HEAD]
        self._rows = {
            row: self._rows[row] for row in sorted({*kept, *range(HEAD)}) if row in self._rows
        }

    # -- refresh ------------------------------------------------------------------------------

    def _refresh_now(self) -> None:
        if self._refreshing or not self._dirty or self._stopped:
            return
        self._dirty = False
        self._refreshing = True
        reset = self._must_reset
        self._must_reset = False
        changed, self._changed_ids = self._changed_ids, set()
        removed, self._removed_ids = self._removed_ids, set()
        generation, query = self._generation, self._query
        old_top, old_ceiling = self._top_id, self._ceiling
        held = [h.message.id for h in self._rows.values() if h.message.id in changed]
        # The newest rows only while the view shows the top; elsewhere the count says it.
        head = HEAD if self._last_asked < HEAD else 1

        def look() -> Awaitable[Looked]:
            return look_again(
                self._source, query, head, Since(old_top, old_ceiling, reset), held, removed
            )

        def looked(outcome: Looked) -> None:
            if generation == self._generation:
                self._take(outcome)
            else:
                self._must_reset = True
                self._dirty = True

        def after() -> None:
            self._refreshing = False
            if self._dirty and self._live and not self._timer.isActive():
                self._timer.start()

        self._run(look, looked, name="inbox refresh", after=after)

    def _take(self, looked: Looked) -> None:
        top, total, added = looked.top, looked.total, looked.added
        removed_above = any(
            row + (added or 0) < total and held.message.id in looked.removed
            for row, held in self._rows.items()
        )
        if added is None or added < 0 or removed_above:
            self._reset_to(top, total)
            return
        if added:
            self.beginInsertRows(QModelIndex(), 0, added - 1)
            self._rows = {row + added: held for row, held in self._rows.items()}
            self._total += added
            self._inserted += added
            self._last_asked += added
            self._put_top(top)
            self.endInsertRows()
            self._forget_far_rows()
        # Retention takes the oldest: they leave from the bottom (or, racing it, came back).
        if total < self._total:
            self.beginRemoveRows(QModelIndex(), total, self._total - 1)
            self._rows = {row: held for row, held in self._rows.items() if row < total}
            self._total = total
            self.endRemoveRows()
        elif total > self._total:
            self.beginInsertRows(QModelIndex(), self._total, total - 1)
            self._total = total
            self.endInsertRows()
        if not added:
            changed = self._put_top(top)
            if changed:
                self.dataChanged.emit(self.index(0, 0), self.index(changed - 1, len(COLUMNS) - 1))
        self.update_messages(looked.changed)
        self.refreshed.emit(added)

    def _reset_to(self, top: list[StoredMessage], total: int) -> None:
        self._generation += 1  # a block still on its way belongs to the list before
        self.beginResetModel()
        self._rows = {}
        self._wanted = {}
        self._total = total
        self._put_top(top)
        self.endResetModel()
        self.refreshed.emit(0)

    def _put_top(self, top: list[StoredMessage]) -> int:
        """Hold the newest rows; how many of them are new or changed."""
        changed = 0
        for row, message in enumerate(top[: self._total]):
            held = self._rows.get(row)
            if held is None or held.message != message:
                self._rows[row] = row_of(message)
                changed = row + 1
        self._top_id = top[0].id if top else None
        self._ceiling = (top[0].received_at, top[0].id + 1) if top else None
        return changed

    def _run(
        self,
        work: Callable[[], Awaitable[T]],
        then: Callable[[T], None],
        *,
        name: str,
        after: Callable[[], None],
    ) -> None:
        if self._stopped:
            return

        async def guarded() -> T | None:
            try:
                return await work()
            except StoreError as exc:
                # The store closing under a refresh (quitting), or a read that failed: the
                # list keeps what it shows, and says nothing it does not know.
                log.warning("%s: %s", name, exc)
                return None

        def done(result: T | None) -> None:
            if result is not None:
                then(result)

        self._tasks.start(Op(guarded, name=name).success(done).finally_(after))
