"""Taking data out and finding it, without Qt: export writers, copy formats, filter-to-query
mapping, find by id, and the rules values are shown by. Imports only `crmdesk.api`'s face."""

from typing import TYPE_CHECKING

from crmdesk import lazy_face

if TYPE_CHECKING:
    from crmdesk.exporting.copying import CopyFormat, delimited, json_text, markdown
    from crmdesk.exporting.export import (
        Exported,
        ExportProgress,
        ExportView,
        export_view,
        suggested_name,
    )
    from crmdesk.exporting.filters import (
        ANY_FIELD,
        Criterion,
        FilterField,
        SplitFilter,
        filter_fields,
        split,
    )
    from crmdesk.exporting.paging import (
        MATCH_LIMIT,
        Condition,
        LocalFilter,
        Matches,
        every_page,
        search,
    )
    from crmdesk.exporting.refs import RecordRef, parse_record_ref
    from crmdesk.exporting.values import (
        Column,
        cell_text,
        is_yes_no,
        json_value,
        parse_when,
        sheet_value,
    )
    from crmdesk.exporting.writers import ExportFormat, open_writer

__all__ = [
    "ANY_FIELD",
    "MATCH_LIMIT",
    "Column",
    "Condition",
    "CopyFormat",
    "Criterion",
    "ExportFormat",
    "ExportProgress",
    "ExportView",
    "Exported",
    "FilterField",
    "LocalFilter",
    "Matches",
    "RecordRef",
    "SplitFilter",
    "cell_text",
    "delimited",
    "every_page",
    "export_view",
    "filter_fields",
    "is_yes_no",
    "json_text",
    "json_value",
    "markdown",
    "open_writer",
    "parse_record_ref",
    "parse_when",
    "search",
    "sheet_value",
    "split",
    "suggested_name",
]

__getattr__ = lazy_face(
    __name__,
    {
        ".copying": ("CopyFormat", "delimited", "json_text", "markdown"),
        ".export": ("Exported", "ExportProgress", "ExportView", "export_view", "suggested_name"),
        ".filters": (
            "ANY_FIELD",
            "Criterion",
            "FilterField",
            "SplitFilter",
            "filter_fields",
            "split",
        ),
        ".paging": ("MATCH_LIMIT", "Condition", "LocalFilter", "Matches", "every_page", "search"),
        ".refs": ("RecordRef", "parse_record_ref"),
        ".values": ("Column", "cell_text", "is_yes_no", "json_value", "parse_when", "sheet_value"),
        ".writers": ("ExportFormat", "open_writer"),
    },
)
