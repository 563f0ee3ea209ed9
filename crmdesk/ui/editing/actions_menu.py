"""Menus of a record's actions, built from `EntityInfo.actions` alone (never from the kind):
the same entries in the grid's context menu, the browser's Actions button and the form."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QPushButton, QWidget

from crmdesk.api import ActionSpec
from crmdesk.ui.editing.action_flow import ActionFlow, ActionTarget, refusal
from crmdesk.ui.editing.icons import menu_arrow_icon


def action_tip(action: ActionSpec) -> str:
    notes = []
    if action.costs_money:
        notes.append("costs money: the price is shown before you confirm")
    elif action.confirm:
        notes.append("asks before it is done")
    if not action.undoable:
        notes.append("cannot be undone")
    tail = f" ({'; '.join(notes)})" if notes else ""
    return f"{action.description or action.label}{tail}"


def add_actions(menu: QMenu, target: ActionTarget | None, flow: ActionFlow) -> int:
    """Add one entry per action of the target's entity; disabled, with the reason, where the
    connection takes none. Returns how many were added."""
    if target is None:
        return 0
    reason = refusal(target.session, target.entity)
    for spec in target.entity.actions:
        dots = "…" if spec.confirm or spec.costs_money or spec.takes_values else ""
        entry = menu.addAction(spec.label + dots)
        entry.setObjectName(f"action_{spec.name}")
        entry.setToolTip(reason or action_tip(spec))
        entry.setStatusTip(reason or action_tip(spec))
        entry.setEnabled(reason is None)
        entry.triggered.connect(lambda _checked=False, spec=spec: flow.start(target, spec))
    menu.setToolTipsVisible(True)
    return len(target.entity.actions)


class ActionsButton(QPushButton):
    """ "Actions" with a drawn arrow: the actions of the record `target()` names, in a menu
    filled as it opens below the button.

    A plain push button that pops the menu up itself, not one given the menu with `setMenu`:
    Fusion draws that menu indicator as a dot in the corner, which reads as "Actions.", and
    a tool button beside push buttons has another height and frame.
    """

    def __init__(
        self,
        flow: ActionFlow,
        target: Callable[[], ActionTarget | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("actionsButton")
        self.setText("Actions")
        self.setToolTip("What can be done with the selected record")
        # The arrow goes after the words, where a drop-down's arrow is.
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.setIcon(menu_arrow_icon(self.palette()))
        self._flow = flow
        self._target = target
        self.actions_menu = QMenu(self)
        self.actions_menu.setObjectName("actionsMenu")
        self.actions_menu.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.clicked.connect(self.pop_up)

    def pop_up(self) -> None:
        """Fill the menu for the record selected now and show it under the button."""
        self.fill()
        self.actions_menu.popup(self.mapToGlobal(self.rect().bottomLeft()))

    def fill(self) -> None:
        self.actions_menu.clear()
        target = self._target()
        if target is None:
            note = self.actions_menu.addAction("Select a record first")
            note.setEnabled(False)
        elif add_actions(self.actions_menu, target, self._flow) == 0:
            note = self.actions_menu.addAction(f"{target.entity.label} have no actions")
            note.setEnabled(False)
