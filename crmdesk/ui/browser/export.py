"""Export… of a browser: the current view (its filter, sort and visible columns), every page
of it, to a CSV, XLSX or JSON file, as long work with progress and Cancel in the status bar.

The writing is `crmdesk.exporting.export_view`'s; this is the dialog, the file chooser and the
words: records and pages so far, and the wait for the API quota while there is one.
"""

from __future__ import annotations

import time
from dataclasses import replace
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from crmdesk.api import ApiError, ErrorKind
from crmdesk.exporting import (
    Exported,
    ExportFormat,
    ExportProgress,
    ExportView,
    export_view,
    suggested_name,
)
from crmdesk.ui.quota import waiting_words
from crmdesk.ui.tasks import Op, Progress

if TYPE_CHECKING:
    from crmdesk.ui.browser.browser import EntityBrowser

# Export fetches pages this big (or the entity's most, if smaller): fewest requests.
EXPORT_PAGE_SIZE = 1000


class ExportDialog(QDialog):
    """Which format, and whether the header has column titles or field names."""

    def __init__(self, summary: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export")
        self.summary = QLabel(summary, self)
        self.summary.setWordWrap(True)
        self.formats = QButtonGroup(self)
        column = QVBoxLayout(self)
        column.addWidget(self.summary)
        for number, fmt in enumerate(ExportFormat):
            button = QRadioButton(fmt.words, self)
            button.setChecked(number == 0)
            self.formats.addButton(button, number)
            column.addWidget(button)
        self.field_names = QCheckBox("Use field names in the header instead of column titles")
        self.field_names.setToolTip("Field names suit a file you will import again")
        column.addWidget(self.field_names)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        choose = buttons.addButton("Choose file…", QDialogButtonBox.ButtonRole.AcceptRole)
        choose.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)

    @property
    def format(self) -> ExportFormat:
        return list(ExportFormat)[max(0, self.formats.checkedId())]


class Exporter:
    """The export part of one browser."""

    def __init__(self, browser: EntityBrowser) -> None:
        self._browser = browser
        self.dialog: ExportDialog | None = None
        self.file_dialog: QFileDialog | None = None

    def view(self) -> ExportView:
        """The list on screen: its filter and sort (the list, when one record is open)."""
        browser = self._browser
        request = browser.shown_request or browser.wanted
        request = request.finding(None)
        size = min(browser.entity.max_page_size, EXPORT_PAGE_SIZE)
        return ExportView(
            browser.entity.name,
            browser.entity.label,
            browser.view_columns(),
            replace(request.query(size), page=1),
            request.filter.local,
            browser.view_columns(visible_only=False),
        )

    def summary(self) -> str:
        browser = self._browser
        request = (browser.shown_request or browser.wanted).finding(None)
        shown = browser.shown_page
        total = shown.total_records if shown is not None and not request.filter.local else None
        what = f"all {total:,} records" if total is not None else "every record"
        parts = [f"Export {what} of <b>{escape(browser.title)}</b>, every page"]
        if request.criteria:
            parts.append("filtered: " + escape(", ".join(c.words for c in request.criteria)))
        if request.sort is not None:
            parts.append(f"sorted by {escape(request.sort.field)} {request.sort.arrow}")
        parts.append(f"{len(self.view().columns)} visible columns, in their order")
        return " · ".join(parts) + "."

    def ask(self) -> ExportDialog:
        dialog = ExportDialog(self.summary(), self._browser)
        dialog.accepted.connect(
            lambda: self.choose_file(dialog.format, dialog.field_names.isChecked())
        )
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def choose_file(self, fmt: ExportFormat, field_names: bool) -> QFileDialog:
        # An instance opened with open(), never the static getSaveFileName (a nested loop).
        dialog = QFileDialog(self._browser, "Export to")
        dialog.setObjectName("exportFileDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(f"{fmt.name} (*.{fmt.suffix})")
        dialog.setDefaultSuffix(fmt.suffix)
        dialog.selectFile(suggested_name(self._browser.title, fmt))
        dialog.fileSelected.connect(lambda name: self.start(Path(name), fmt, field_names))
        dialog.finished.connect(dialog.deleteLater)
        self.file_dialog = dialog
        dialog.open()
        return dialog

    def start(self, path: Path, fmt: ExportFormat, field_names: bool = False) -> Op[Exported | str]:
        """Export the view to `path` now; the Op's progress is what the status bar shows."""
        browser = self._browser
        run = _Run(browser, path)
        view = self.view()

        async def work(progress: Progress) -> Exported | str:
            run.progress = progress
            backend = browser.session.backend
            if backend is None:
                raise ApiError(ErrorKind.TRANSPORT, f"{browser.session.name} is not connected.")
            try:
                return await export_view(
                    backend, view, path, fmt, field_names=field_names, on_progress=run.told
                )
            except OSError as problem:
                return f"Could not write {path.name}: {problem.strerror or problem}."

        op = (
            Op(work, name=f"export {browser.title}")
            .with_progress(f"Exporting {browser.entity.label} to {path.name}", cancellable=True)
            .success(run.succeeded)
            .failure(run.failed)
        )
        assert op.progress is not None
        op.progress.subscribe(run.finished)
        op.run(browser.tasks)
        return op


class _Run:
    """One export's words: how far it is, the quota wait counted down, and how it ended."""

    def __init__(self, browser: EntityBrowser, path: Path) -> None:
        self._browser = browser
        self._path = path
        self.progress: Progress | None = None
        self.ended = False
        self._waiting_until: float | None = None
        self._ticker = QTimer(browser, interval=1_000)
        self._ticker.timeout.connect(self._tick)

    def told(self, state: ExportProgress) -> None:
        pages = f"page {state.pages:,}" + (
            f" of {state.total_pages:,}" if state.total_pages else ""
        )
        self._waiting_until = state.waiting_until
        if state.waiting_until is not None:
            self._ticker.start()
            detail = waiting_words(state.waiting_until - time.time())
        else:
            self._ticker.stop()
            detail = pages
        if self.progress is not None:
            self.progress.report(state.records, state.total_records, detail)

    def _tick(self) -> None:
        progress, until = self.progress, self._waiting_until
        if progress is not None and until is not None:
            progress.report(progress.done, progress.total, waiting_words(until - time.time()))

    def succeeded(self, outcome: Exported | str) -> None:
        self.ended = True
        if isinstance(outcome, str):
            self._browser.said.emit(outcome)
            return
        pages = f"{outcome.pages:,} page{'s' if outcome.pages != 1 else ''}"
        self._browser.said.emit(f"Exported {outcome.records:,} records ({pages}) to {self._path}.")

    def failed(self, error: ApiError) -> None:
        self.ended = True
        self._browser.said.emit(
            f"Export stopped: {error.summary} Nothing was written to {self._path}."
        )
        self._browser.tasks.report_api_error(error, "Exporting")

    def finished(self, progress: Progress) -> None:
        if not progress.finished:
            return
        self._ticker.stop()
        self._ticker.deleteLater()
        if not self.ended:
            self._browser.said.emit(f"Export cancelled; nothing was written to {self._path}.")
