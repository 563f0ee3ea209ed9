"""crmdesk's editing core, with no Qt: pending edits, review, save, create, delete, actions,
the change log and undo. The UI builds on these names; the modules behind them may change.

Where this differs from the interface agreed in briefs/editing-api.md (for the UI side):

- `Outcome` has a fifth member, `QUEUED`: work the server accepted but has not done yet
  (GetResponse's 202 create, which has no id; an NDCHost order awaiting payment). It is not
  SAVED; show it as queued ("will appear when GetResponse has processed it").
- `RecordResult` has two more fields, `created_id` and `opens` (the record a create or an
  action made, such as the account a lead became), and defaults for `error`/`exchange`.
- `RecordReview` has `in_bulk`: the kind sends the record's command inside a bulk call
  (aicore's `batch`), so the review can say so beside the per-record request it shows.
- `SaveReport` has `cancelled` (the save was cancelled part way) and `summary` (one line).
- `apply()` returns its report even when its task is cancelled (the task then ends normally,
  so an Op's success callback gets it): the records not sent are NOT_SENT.
- `parse_value(spec, raw, *, like=None)`: `like` is the value as loaded, whose spelling a
  number or date-time follows (text where the server sent text; "T" or a space). NUMBER gives
  int for whole numbers, else the number's text; CURRENCY gives the amount's text ("12.50"),
  not a Decimal: no backend's wire conversion takes a Decimal (JSON and form encoders refuse
  it), while every one takes the text. DATE and DATETIME give text; BOOLEAN a bool.
- `missing_required(fields, values, *, changes_only=False)`: `changes_only` for updates.
- The create, delete and action helpers are `create_record`, `delete_record` and
  `run_record_action`; each returns a `RecordResult` (never raises an ApiError) and logs
  itself when given a ChangeLog.
- `ChangeLog.record_action/record_create/record_delete` take a `RecordResult` (what the helpers
  made of the reply) rather than an ActionResult or ApiError; the UI need not call them.
- `ChangeLog.changes()` and `export_csv()` also filter by `kind` and `save_id`; `count()` gives
  a filter's total for paging; `Change` has `undoes` and `undone`.
- `review_undo()` shows what `undo_last_save()` would send, for a confirmation.
- `PendingEdits` also has `saved(edits)` (used by saves) and `entities(connection_id)`.
- A write whose answer was lost is checked with `Backend.find_outcome` (the one way to find
  out, for saves too); its `RecordResult` keeps `write`, `why` and `check`, `check_again()`
  looks once more, and `retry_safe` says when a Retry may be offered (never before a check
  the person asked for).
- Outside this package: `Backend.update_batch_size` (crmdesk.api) says how many records one
  `update_many` request carries, so a cancelled save knows which were on the way together.
"""

from typing import TYPE_CHECKING

from crmdesk import lazy_face

if TYPE_CHECKING:
    from crmdesk.api import same_value
    from crmdesk.editing.changelog import Change, ChangeLog
    from crmdesk.editing.outcomes import check_again
    from crmdesk.editing.pending import EditsChanged, FieldEdit, PendingEdits
    from crmdesk.editing.results import Outcome, RecordResult, RecordReview, SaveReport
    from crmdesk.editing.save import apply, review
    from crmdesk.editing.undo import review_undo, undo_last_save
    from crmdesk.editing.values import missing_required, parse_value
    from crmdesk.editing.writes import create_record, delete_record, run_record_action

__all__ = [
    "Change",
    "ChangeLog",
    "EditsChanged",
    "FieldEdit",
    "Outcome",
    "PendingEdits",
    "RecordResult",
    "RecordReview",
    "SaveReport",
    "apply",
    "check_again",
    "create_record",
    "delete_record",
    "missing_required",
    "parse_value",
    "review",
    "review_undo",
    "run_record_action",
    "same_value",
    "undo_last_save",
]

__getattr__ = lazy_face(
    __name__,
    {
        "crmdesk.api": ("same_value",),
        ".changelog": ("Change", "ChangeLog"),
        ".outcomes": ("check_again",),
        ".pending": ("EditsChanged", "FieldEdit", "PendingEdits"),
        ".results": ("Outcome", "RecordResult", "RecordReview", "SaveReport"),
        ".save": ("apply", "review"),
        ".undo": ("review_undo", "undo_last_save"),
        ".values": ("missing_required", "parse_value"),
        ".writes": ("create_record", "delete_record", "run_record_action"),
    },
)
