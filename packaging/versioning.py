"""The release version, read from `crmdesk.__version__`, in the shapes installers insist on.

Imported by crmdesk.spec and build.py; it reads the file instead of importing crmdesk so it
works from any Python, including the one Inno Setup's caller happens to have.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def version() -> str:
    """`__version__` as written in crmdesk/__init__.py (the one place it is set)."""
    tree = ast.parse((ROOT / "crmdesk" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets
        ):
            value = ast.literal_eval(node.value)
            if isinstance(value, str):
                return value
    raise LookupError("crmdesk/__init__.py sets no __version__ string")


def numeric(text: str | None = None, parts: int = 3) -> tuple[int, ...]:
    """The leading release numbers, padded: Windows VERSIONINFO wants four, macOS three.

    "1.2.0rc1" becomes (1, 2, 0): a pre-release shares the numbers of its release, which is
    what both systems expect (they have no notion of pre-releases).
    """
    match = re.match(r"\d+(\.\d+)*", version() if text is None else text)
    if not match:
        raise ValueError(f"version {text!r} does not start with a number")
    numbers = [int(n) for n in match.group().split(".")][:parts]
    return tuple(numbers + [0] * (parts - len(numbers)))


def dotted(numbers: tuple[int, ...]) -> str:
    return ".".join(str(n) for n in numbers)


if __name__ == "__main__":
    print(version())
