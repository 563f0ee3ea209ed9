"""How pending edits look wherever a value is shown: a colour AND a shape (a corner triangle,
italic text), never colour alone; old → new on hover; read-only fields greyed with the reason.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPolygon

from crmdesk.api import FieldSpec, FieldType
from crmdesk.ui.browser.page_model import format_value

CHANGED_BACKGROUND = QColor("#fff3c4")
CHANGED_MARK = QColor("#b26a00")
REFUSED_BACKGROUND = QColor("#fdecea")
REFUSED_TEXT = QColor("#8e1b14")
READ_ONLY_TEXT = QColor("#7a7a7a")
# What a view asks for to draw the corner mark: "changed", "refused" (typed, not taken) or
# "failed" (changed, and the last save of its record failed); None otherwise.
MarkRole = Qt.ItemDataRole.UserRole + 40
REFUSED_PREFIX = "⚠ "
_TRIANGLE = 7


def shown(value: Any, spec: FieldSpec) -> str:
    """A value as a cell shows it (the page's own formatting)."""
    return format_value(value, spec.type)


def quoted(value: Any, spec: FieldSpec) -> str:
    text = shown(value, spec)
    return f"“{text}”" if text else "(empty)"


def change_tip(spec: FieldSpec, old: Any, new: Any) -> str:
    return (
        f"{spec.label}: {quoted(old, spec)} → {quoted(new, spec)}\n"
        "Not saved yet: Review & save (Ctrl+S) sends it; Esc reverts this cell."
    )


def refused_tip(spec: FieldSpec, text: str, reason: str, old: Any) -> str:
    return (
        f"{spec.label}: “{text}” was not taken. {reason}\n"
        f"The server still has {quoted(old, spec)}. Fix it (F2) or revert it (Esc)."
    )


def read_only_tip(spec: FieldSpec, why: str) -> str:
    return f"{spec.label} cannot be changed here: {why}"


def italic(font: QFont | None = None) -> QFont:
    font = QFont(font) if font is not None else QFont()
    font.setItalic(True)
    return font


def background(mark: str | None) -> QBrush | None:
    if mark == "changed":
        return QBrush(CHANGED_BACKGROUND)
    if mark == "refused":
        return QBrush(REFUSED_BACKGROUND)
    return None


def paint_mark(painter: QPainter, rect: QRect, mark: str) -> None:
    """The shape that says "changed" (or "refused") to someone who cannot tell the colours."""
    color = CHANGED_MARK if mark == "changed" else REFUSED_TEXT
    size = _TRIANGLE * 2 if mark == "failed" else _TRIANGLE
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    top_left = rect.topLeft()
    painter.drawPolygon(
        QPolygon(
            [
                top_left,
                top_left + QPoint(size, 0),
                top_left + QPoint(0, size),
            ]
        )
    )
    painter.restore()


def is_numeric(spec: FieldSpec) -> bool:
    return spec.type in (FieldType.NUMBER, FieldType.CURRENCY)
