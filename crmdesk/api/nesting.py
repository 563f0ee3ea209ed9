"""How deep JSON may nest before crmdesk refuses to read it.

No API crmdesk speaks nests replies anywhere near MAX_JSON_DEPTH; deeper ones are refused
before any recursive reader (a backend's, the redactor's, a tree view's, a table cell's repr)
can meet them. Python's parser alone stops only near the interpreter's recursion limit.
"""

from __future__ import annotations

from typing import Any

MAX_JSON_DEPTH = 100


def deeper_than(data: Any, limit: int, text: str) -> bool:
    """Whether `data` nests containers more than `limit` deep (without recursion)."""
    if not isinstance(data, dict | list) or text.count("[") + text.count("{") <= limit:
        return False
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False
