"""CMDataManager's entities and the actions each offers, as the documents list them and as
DESIGN.md decides where they are silent (which entities take the sub-creates)."""

from __future__ import annotations

from crmdesk.api.model import ActionSpec, EntityInfo

STANDARD = (
    ("account", "Accounts"),
    ("lead", "Leads"),
    ("contact", "Contacts"),
    ("task", "Tasks"),
    ("opportunity", "Opportunities"),
)
# The docs list /fields for every entity but task.
NO_FIELD_METADATA = frozenset({"task"})
# Which entities accept the documented sub-creates is not published (API-NOTES 2, item 7).
_TASK_PARENTS = frozenset({"account", "contact", "lead", "opportunity"})
_OPPORTUNITY_PARENTS = frozenset({"account", "contact", "lead"})
_MAX_PAGE_SIZE = 1000

ADD_TASK = ActionSpec(
    "add_task",
    "Add task",
    "Create a task linked to this record.",
    takes_values=True,
    creates="task",
)
ADD_OPPORTUNITY = ActionSpec(
    "add_opportunity",
    "Add opportunity",
    "Create an opportunity linked to this record.",
    takes_values=True,
    creates="opportunity",
)
CONVERT_LEAD = ActionSpec(
    "convert",
    "Convert lead",
    "Turn this lead into an account; the lead is marked Converted.",
    confirm=True,
    takes_values=True,
    creates="account",
)
CLOSE_TASK = ActionSpec("close", "Close task", "Mark this task completed.")


def entity_info(name: str, label: str) -> EntityInfo:
    actions: list[ActionSpec] = []
    if name == "lead":
        actions.append(CONVERT_LEAD)
    if name == "task":
        actions.append(CLOSE_TASK)
    if name in _TASK_PARENTS or name not in dict(STANDARD):
        actions.append(ADD_TASK)
    if name in _OPPORTUNITY_PARENTS:
        actions.append(ADD_OPPORTUNITY)
    return EntityInfo(
        name=name,
        label=label,
        id_label="ExternalID",
        has_field_metadata=name not in NO_FIELD_METADATA,
        max_page_size=_MAX_PAGE_SIZE,
        actions=tuple(actions),
    )
