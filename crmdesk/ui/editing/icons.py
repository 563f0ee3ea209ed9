"""Small icons record editing draws itself with QPainter, in the palette's colours: a padlock
for fields that cannot be changed and a drop-down arrow for buttons that open a menu. Drawn,
not typed: a glyph such as 🔒 or ▾ is missing from many Linux fonts, and a style's own
menu indicator (Fusion's) is a dot in a corner that reads as a stray full stop."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPalette, QPen, QPixmap, QPolygonF

_SIZE = 16
_MODES = (
    (QIcon.Mode.Normal, QPalette.ColorGroup.Active),
    (QIcon.Mode.Disabled, QPalette.ColorGroup.Disabled),
)


def _icon(palette: QPalette, role: QPalette.ColorRole, draw: Callable[[QPainter], None]) -> QIcon:
    """An icon of `draw` in the palette's `role` colour, enabled and disabled, at 1x and 2x."""
    icon = QIcon()
    for mode, group in _MODES:
        color = palette.color(group, role)
        for ratio in (1.0, 2.0):
            pixmap = QPixmap(int(_SIZE * ratio), int(_SIZE * ratio))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(color, 1.6))
            painter.setBrush(color)
            draw(painter)
            painter.end()
            icon.addPixmap(pixmap, mode)
    return icon


def _arrow(painter: QPainter) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawPolygon(QPolygonF([QPointF(4, 6), QPointF(12, 6), QPointF(8, 11)]))


def _padlock(painter: QPainter) -> None:
    # The shackle, an open arch, then the body, a rounded block with a keyhole cut out.
    brush = painter.brush()
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawArc(QRectF(4.8, 1.8, 6.4, 8.0), 0, 180 * 16)
    painter.drawLine(QPointF(4.8, 5.8), QPointF(4.8, 7.5))
    painter.drawLine(QPointF(11.2, 5.8), QPointF(11.2, 7.5))
    painter.setBrush(brush)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(QRectF(3.0, 7.0, 10.0, 7.5), 1.5, 1.5)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Clear)
    painter.drawEllipse(QRectF(7.0, 9.2, 2.0, 2.0))
    painter.drawRect(QRectF(7.6, 10.5, 0.8, 2.2))


def menu_arrow_icon(palette: QPalette) -> QIcon:
    """A downward arrow for a button that opens a menu, in the button's text colour."""
    return _icon(palette, QPalette.ColorRole.ButtonText, _arrow)


def lock_icon(palette: QPalette) -> QIcon:
    """A padlock for a field that cannot be changed, in the colour of placeholder text."""
    return _icon(palette, QPalette.ColorRole.PlaceholderText, _padlock)
