"""Menus of a record's actions, built from `EntityInfo.actions` alone (never from the kind):
the same entries in the grid's context menu, the browser's Actions button and the form."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from crmdesk.api import ActionSpec
from crmdesk.ui.editing.action_flow import ActionFlow, ActionTarget, refusal


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


class ActionsButton(QToolButton):
    """ "Actions ▾": the actions of the record `target()` names, filled as the menu opens."""

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
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._flow = flow
        self._target = target
        self.actions_menu = QMenu(self)
        self.actions_menu.aboutToShow.connect(self.fill)
        self.setMenu(self.actions_menu)

    def fill(self) -> None:
        self.actions_menu.clear()
        target = self._target()
        if target is None:
            note = self.actions_menu.addAction("Select a record first")
            note.setEnabled(False)
        elif add_actions(self.actions_menu, target, self._flow) == 0:
            note = self.actions_menu.addAction(f"{target.entity.label} have no actions")
            note.setEnabled(False)
