"""A selection of cells as text to paste: TSV (spreadsheets), CSV, Markdown and JSON.

TSV, CSV and Markdown take the text the grid shows; JSON takes the raw values, keyed by field
name, as the API gave them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from enum import Enum
from typing import Any


class CopyFormat(Enum):
    TSV = "Tab-separated (for spreadsheets)"
    CSV = "CSV"
    JSON = "JSON"
    MARKDOWN = "Markdown table"


def delimited(rows: Sequence[Sequence[str]], delimiter: str = "\t") -> str:
    """Rows as TSV or CSV the way spreadsheets copy them: quoted only where needed, CRLF-free
    line ends, no line end after the last row (a single cell pastes as just its text)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue().removesuffix("\n")


def markdown(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub-style table; pipes and line breaks in cells are escaped so it stays one."""

    def cell(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")

    lines = [
        "| " + " | ".join(cell(h) for h in header) + " |",
        "|" + "|".join(" --- " for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def json_text(objects: Sequence[dict[str, Any]]) -> str:
    """Records as a JSON array of objects, indented for reading."""
    return json.dumps(list(objects), ensure_ascii=False, indent=2)
