"""WorkPanel: the long work in flight (an export, a bulk save) in the status bar: what it is,
how far it has got, and a Cancel.

It hears of every op started `with_progress` through `TaskRunner.on_progress`; the newest
running one is shown, with how many more are running behind it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QToolButton, QWidget

from crmdesk.ui.elided import ElidedLabel
from crmdesk.ui.tasks import Progress, TaskRunner


class WorkPanel(QWidget):
    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workPanel")
        self.setAccessibleName("Work in progress")
        self._running: list[Progress] = []
        self.text = ElidedLabel("", self)
        self.bar = QProgressBar(self)
        self.bar.setFixedWidth(140)
        self.bar.setMaximumHeight(18)
        self.cancel_button = QToolButton(self)
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolTip("Stop this work; nothing half-done is kept")
        self.cancel_button.clicked.connect(self.cancel_current)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.text, 1)
        row.addWidget(self.bar)
        row.addWidget(self.cancel_button)
        tasks.on_progress(self._started)
        self.hide()

    @property
    def current(self) -> Progress | None:
        return self._running[-1] if self._running else None

    def cancel_current(self) -> None:
        if self.current is not None:
            self.current.cancel()

    def _started(self, progress: Progress) -> None:
        self._running.append(progress)
        progress.subscribe(self._changed)
        self._render()

    def _changed(self, progress: Progress) -> None:
        if progress.finished and progress in self._running:
            self._running.remove(progress)
        self._render()

    def _render(self) -> None:
        current = self.current
        if current is None:
            self.hide()
            return
        words = current.text + (f" · {current.detail}" if current.detail else "")
        more = len(self._running) - 1
        if more:
            words += f" (and {more} more)"
        self.text.setText(words)
        if current.total:
            self.bar.setRange(0, current.total)
            self.bar.setValue(min(current.done, current.total))
            self.bar.setFormat(f"{current.done:,} of {current.total:,}")
        elif current.done:
            self.bar.setRange(0, 0)  # how much is left is not known: a moving bar
            self.bar.setFormat(f"{current.done:,}")
        else:
            self.bar.setRange(0, 0)
            self.bar.setFormat("")
        self.cancel_button.setVisible(current.cancellable)
        self.show()
