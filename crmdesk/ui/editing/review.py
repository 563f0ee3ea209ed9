"""ReviewDialog: the unsaved changes of one entity of one connection, record by record
(field: old → new), and on request the exact request each will send; Save sends them with
progress and cancel, and the same dialog then shows what happened to each record.

Non-blocking: it is shown, never `exec()`ed, so the window keeps working while it is open.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crmdesk.api import ApiError, EntityInfo, ErrorKind, FieldSpec
from crmdesk.editing import RecordReview, SaveReport, apply, review
from crmdesk.ui.browser.listing import plural
from crmdesk.ui.editing.marks import quoted
from crmdesk.ui.editing.naming import singular
from crmdesk.ui.editing.pending import PendingSignals
from crmdesk.ui.editing.results import ResultsModel, failures_csv, results_table, summary
from crmdesk.ui.inspector import show_in_inspector
from crmdesk.ui.profiles.guard import WriteGuard
from crmdesk.ui.session import ConnectionSession
from crmdesk.ui.tasks import Op, Progress, TaskRunner

_RED = QBrush(QColor("#b71c1c"))


class ReviewDialog(QDialog):
    """Review, save and results of one (connection, entity); `saved(SaveReport)` after each
    save that ran."""

    saved = Signal(object)

    def __init__(
        self,
        session: ConnectionSession,
        entity: EntityInfo,
        pending: PendingSignals,
        tasks: TaskRunner,
        guard: WriteGuard,
        parent: QWidget | None = None,
        *,
        record_ids: tuple[str, ...] | None = None,
        name_of: Callable[[str], str] = lambda record_id: record_id,
        changelog: object | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reviewDialog")
        self.setWindowTitle(f"Review & save · {entity.label} of {session.name}")
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.session, self.entity, self.pending = session, entity, pending
        self._tasks, self._guard, self._changelog = tasks, guard, changelog
        self._record_ids = record_ids
        self._name_of = name_of
        self.reviews: list[RecordReview] = []
        self._specs: tuple[FieldSpec, ...] = ()
        self.report: SaveReport | None = None
        self.progress: Progress | None = None
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._review_page())
        self.pages.addWidget(self._results_page())
        column = QVBoxLayout(self)
        column.addWidget(self.pages)
        self.resize(860, 560)

    # -- the review ------------------------------------------------------------------------

    def _review_page(self) -> QWidget:
        page = QWidget(self)
        self.heading = QLabel("Reading what will be sent…", page)
        self.heading.setObjectName("reviewHeading")
        self.heading.setWordWrap(True)
        self.changes = QTreeWidget(page)
        self.changes.setObjectName("changes")
        self.changes.setHeaderLabels(["Record and field", "Change"])
        self.changes.setColumnWidth(0, 300)
        self.show_requests = QCheckBox("Show requests (method, URL and body, as sent)", page)
        self.show_requests.setObjectName("showRequests")
        self.requests = QPlainTextEdit(page)
        self.requests.setObjectName("requests")
        self.requests.setReadOnly(True)
        self.requests.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.requests.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.requests.hide()
        self.show_requests.toggled.connect(self.requests.setVisible)
        split = QSplitter(Qt.Orientation.Vertical, page)
        split.addWidget(self.changes)
        split.addWidget(self.requests)
        self.busy = QProgressBar(page)
        self.busy.setObjectName("saveProgress")
        self.busy.hide()
        self.cancel_button = QPushButton("Cancel", page)
        self.cancel_button.setObjectName("cancel")
        self.cancel_button.clicked.connect(self._cancel)
        self.save_button = QPushButton("Save", page)
        self.save_button.setObjectName("save")
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_requests)
        buttons.addStretch(1)
        buttons.addWidget(self.busy)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.heading)
        column.addWidget(split, 1)
        column.addLayout(buttons)
        return page

    def start(self) -> asyncio.Task[None]:
        """Ask the backend what each record's save will send (nothing is sent)."""
        self.show()
        return (
            Op(self._review, name=f"review {self.entity.label}")
            .success(self._show_review)
            .failure(self._review_failed)
            .run(self._tasks)
        )

    async def _review(self) -> list[RecordReview]:
        backend = self.session.backend
        if backend is None:
            raise not_connected(self.session)
        self._specs = await backend.fields(self.entity.name)
        return await review(
            backend, self.pending.edits, self.session.id, self.entity.name, self._record_ids
        )

    def _show_review(self, reviews: list[RecordReview]) -> None:
        self.reviews = reviews
        self.changes.clear()
        fields = {f.name: f for f in self._specs}
        ready = [r for r in reviews if r.problem is None]
        changes = sum(len(r.edits) for r in ready)
        for item in reviews:
            top = QTreeWidgetItem(self.changes, [self._name_of(item.record_id), ""])
            if item.problem is not None:
                top.setText(1, f"Not sent: {item.problem}")
                top.setForeground(1, _RED)
            for edit in item.edits:
                spec = fields.get(edit.field, FieldSpec(edit.field))
                QTreeWidgetItem(
                    top, [spec.label, f"{quoted(edit.old, spec)} → {quoted(edit.new, spec)}"]
                ).setToolTip(0, spec.name)
            top.setExpanded(True)
        self.requests.setPlainText(
            "\n\n".join(
                f"# {self._name_of(r.record_id)}\n{r.request.text}"
                for r in reviews
                if r.request is not None
            )
        )
        noun = singular(self.entity.label).lower()
        words = (
            f"<b>{plural(changes, 'change')} to {plural(len(ready), noun)}</b> will be sent to "
            f"<b>{escape(self.session.name)}</b>."
        )
        refused = len(self.pending.refused_cells(self.session.id, self.entity.name))
        if len(ready) < len(reviews):
            words += f"<br>{plural(len(reviews) - len(ready), noun)} cannot be sent (see why)."
        if refused:
            words += (
                f"<br>{plural(refused, 'value')} typed in this list were not taken (marked ⚠ "
                "in the list) and are not part of this save."
            )
        if not reviews:
            words = "There are no unsaved changes here."
        self.heading.setText(words)
        self.save_button.setText(f"Save {plural(changes, 'change')}")
        self.save_button.setEnabled(changes > 0)

    def _review_failed(self, error: ApiError) -> None:
        self.heading.setText(
            f'<b style="color:#b71c1c">Could not prepare the save.</b> {escape(error.summary)}'
        )

    # -- saving ---------------------------------------------------------------------------

    def save(self, record_ids: tuple[str, ...] | None = None) -> None:
        """Send the changes (all reviewed records, or `record_ids`), asking first where the
        connection wants it."""
        ids = record_ids or tuple(r.record_id for r in self.reviews if r.problem is None)
        changes = sum(len(self.pending.edits.of_record(*self._key, rid)) for rid in ids)
        records = plural(len(ids), "record")
        what = f"save {plural(changes, 'change')} to {records} of {self.entity.label}"
        self.save_button.setEnabled(False)
        Op(lambda: self._guard.allow(self.session.profile, what), name="ask before saving").success(
            lambda allowed: self._send(ids, changes) if allowed else self._not_allowed()
        ).run(self._tasks)

    @property
    def _key(self) -> tuple[str, str]:
        return (self.session.id, self.entity.name)

    def _not_allowed(self) -> None:
        self.save_button.setEnabled(True)
        if self._guard.last_refusal:
            self.heading.setText(escape(self._guard.last_refusal))

    def _send(self, ids: tuple[str, ...], changes: int) -> None:
        backend = self.session.backend
        if backend is None:
            self._review_failed(not_connected(self.session))
            return

        async def run(progress: Progress) -> SaveReport:
            return await apply(
                backend,
                self.pending.edits,
                self.session.id,
                self.entity.name,
                ids,
                on_progress=progress.report,
                changelog=self._changelog,  # type: ignore[arg-type]
            )

        op = (
            Op(run, name=f"save {self.entity.label}")
            .with_progress(f"Saving {plural(changes, 'change')}…", cancellable=True)
            .announce(self.session.id, self.entity.name, ids)
            .success(self._show_results)
            .failure(self._review_failed)
        )
        self.progress = op.progress
        assert self.progress is not None
        self.progress.subscribe(self._progressed)
        self.busy.setRange(0, max(1, len(ids)))
        self.busy.show()
        self.cancel_button.setText("Stop")
        self.cancel_button.setToolTip("Stop after the record being sent; the rest stay pending")
        op.run(self._tasks)

    def _progressed(self, progress: Progress) -> None:
        self.busy.setMaximum(max(1, progress.total or 1))
        self.busy.setValue(progress.done)
        self.busy.setFormat(progress.detail or "%v of %m")
        if progress.finished:
            self.busy.hide()
            self.cancel_button.setText("Cancel")

    def _cancel(self) -> None:
        if self.progress is not None and not self.progress.finished:
            self.progress.cancel()
            return
        self.close()

    # -- results --------------------------------------------------------------------------

    def _results_page(self) -> QWidget:
        page = QWidget(self)
        self.result_heading = QLabel(page)
        self.result_heading.setObjectName("resultHeading")
        self.result_heading.setWordWrap(True)
        self.results = ResultsModel(page)
        self.results_view = results_table(self.results, page)
        self.results_view.doubleClicked.connect(lambda _index: self.show_details())
        self.details_button = QPushButton("Details…", page)
        self.details_button.setObjectName("details")
        self.details_button.setToolTip("The request and the server's reply for the selected record")
        self.details_button.clicked.connect(self.show_details)
        self.retry_button = QPushButton("Retry failed", page)
        self.retry_button.setObjectName("retryFailed")
        self.retry_button.clicked.connect(self.retry_failed)
        self.export_button = QPushButton("Export failures (CSV)…", page)
        self.export_button.setObjectName("exportFailures")
        self.export_button.clicked.connect(self._ask_export)
        close = QPushButton("Close", page)
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        for button in (self.details_button, self.retry_button, self.export_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.result_heading)
        column.addWidget(self.results_view, 1)
        column.addLayout(buttons)
        return page

    def _show_results(self, report: SaveReport) -> None:
        self.report = report
        self.pending.note_save(report)
        names = {r.record_id: self._name_of(r.record_id) for r in report.results}
        self.results.set_report(report, names)
        left = len(report.results) - len(report.saved)
        who = (
            "The record not saved keeps its"
            if left == 1
            else f"The {left} records not saved keep their"
        )
        tail = (
            f"<br>{who} changes pending: nothing you typed is lost. Retry, fix them in the "
            "list, or export the failures."
            if left
            else "<br>Every change was saved; the list shows the server's values again."
        )
        self.result_heading.setText(f"<b>{escape(summary(report))}</b>{tail}")
        retry = len(report.failed) + len(report.not_sent)
        self.retry_button.setEnabled(retry > 0)
        self.retry_button.setText(f"Retry failed ({retry})" if retry else "Retry failed")
        self.export_button.setEnabled(left > 0)
        self.details_button.setEnabled(bool(report.results))
        self.pages.setCurrentIndex(1)
        if report.results:
            self.results_view.selectRow(0)
        self.saved.emit(report)

    def show_details(self) -> None:
        index = self.results_view.currentIndex()
        if not index.isValid():
            return
        result = self.results.result_at(index.row())
        exchange = result.exchange or (result.error.exchange if result.error else None)
        if exchange is None:
            self.result_heading.setText(
                escape(f"{self._name_of(result.record_id)}: nothing went over the wire.")
            )
            return
        show_in_inspector(self, exchange)

    def retry_failed(self) -> None:
        report = self.report
        if report is None:
            return
        ids = tuple(r.record_id for r in (*report.failed, *report.not_sent))
        if ids:
            self.pages.setCurrentIndex(0)
            self.save(ids)

    def failures_text(self) -> str:
        assert self.report is not None
        return failures_csv(
            self.report, lambda rid: tuple(self.pending.edits.of_record(*self._key, rid).values())
        )

    def _ask_export(self) -> None:
        dialog = QFileDialog(self, "Export failures", "failures.csv", "CSV files (*.csv)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("csv")
        dialog.fileSelected.connect(lambda name: self.export_failures(Path(name)))
        dialog.open()

    def export_failures(self, path: Path) -> asyncio.Task[None]:
        """Write the failures as CSV to `path`, off the GUI thread."""
        text = self.failures_text()
        return (
            Op(lambda: asyncio.to_thread(path.write_text, text, "utf-8"), name="export failures")
            .success(
                lambda _done: self.result_heading.setText(
                    f"Failures written to {escape(str(path))}."
                )
            )
            .run(self._tasks)
        )


def not_connected(session: ConnectionSession) -> ApiError:
    return ApiError(ErrorKind.TRANSPORT, f"{session.name} is not connected; nothing was sent.")
