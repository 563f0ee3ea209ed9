"""Bars across the top of the window: notices the user should see without a modal dialog
(no keyring, a damaged profiles file) and the band that says which connection is in front."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from crmdesk.profiles import Profile

_RED = "#c62828"


class NoticeBanner(QWidget):
    """A dismissible line of text; `show_notice()` replaces what it says and shows it."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(
            f"#{name} {{ background: #fff4ce; border-bottom: 1px solid #e0c060; }}"
            f"#{name} QLabel {{ color: #3d2f00; }}"
        )
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dismiss = QToolButton(self)
        self.dismiss.setText("✕")
        self.dismiss.setAutoRaise(True)
        self.dismiss.setToolTip("Hide this message")
        self.dismiss.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 5, 6, 5)
        row.addWidget(self.text, 1)
        row.addWidget(self.dismiss, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_notice(self, html: str) -> None:
        self.text.setText(html)
        self.show()


def keyring_notice(reason: str) -> str:
    return (
        "<b>No usable system keyring</b> — "
        f"{escape(reason)}. Passwords and keys you enter are kept <b>for this session "
        "only</b> and are never written to disk; you will be asked again next time."
    )


class ProductionBand(QLabel):
    """Says which connection is in front when that matters: red for production, the
    connection's own colour otherwise, hidden for an ordinary connection without a colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("productionBand")
        self.setContentsMargins(12, 4, 12, 4)
        self.profile: Profile | None = None
        self.hide()

    def follow(self, profile: Profile | None) -> None:
        self.profile = profile
        words = band_words(profile) if profile is not None else None
        if profile is None or words is None:
            self.hide()
            return
        color = _RED if profile.production else (profile.color or "#5f6368")
        ink = "white" if QColor(color).lightness() < 150 else "black"
        self.setStyleSheet(
            f"#productionBand {{ background: {color}; color: {ink}; font-weight: bold; }}"
        )
        self.setText(words)
        self.setAccessibleName(words)
        self.show()


def band_words(profile: Profile) -> str | None:
    if profile.production:
        tail = (
            "read-only, changes are not sent"
            if profile.read_only
            else ("writes ask for confirmation")
        )
        return f"PRODUCTION · {profile.name} · {tail}"
    if profile.read_only:
        return f"READ-ONLY · {profile.name} · changes are not sent"
    if profile.color:
        return profile.name
    return None


def title_words(profile: Profile | None, what: str | None) -> str:
    """The window title: production first, so it shows even in a task bar's short title."""
    parts = [what] if what else []
    if profile is not None and profile.production:
        parts.insert(0, f"PRODUCTION {profile.name}")
    parts.append("crmdesk")
    return " — ".join(parts)
