"""ElidedLabel: one line of words that gives way to the window, cut with "…" (whole on hover).

Kept apart from the browser so the status bar can use it without loading the browser."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel


class ElidedLabel(QLabel):
    """A one-line label that shrinks with its window, eliding its text, shown whole on hover."""

    def minimumSizeHint(self) -> QSize:
        """Overrides QLabel.minimumSizeHint: a few characters wide, so it never forces the
        window wider."""
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), self.fontMetrics().averageCharWidth() * 12), hint.height())

    def setText(self, text: str) -> None:
        """Overrides QLabel.setText: the full text is the tooltip, since it may be cut."""
        super().setText(text)
        self.setToolTip(text)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Overrides QLabel.paintEvent: draws the text elided to the width it has."""
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(
            rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), text
        )
