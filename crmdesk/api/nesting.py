"""How deep JSON may nest before crmdesk refuses to read it.

No API crmdesk speaks nests replies anywhere near MAX_JSON_DEPTH; deeper ones are refused
before any recursive reader (a backend's, the redactor's, a tree view's, a table cell's repr)
can meet them. Python's parser alone stops only near the interpreter's recursion limit.
"""

from __future__ import annotations

from typing import Any

MAX_JSON_DEPTH = 100
_CONTAINERS = (dict, list)  # what json.loads makes that holds more


def deeper_than(data: Any, limit: int, text: str) -> bool:
    """Whether `data` nests containers more than `limit` deep (without recursion).

    One level at a time, keeping only the containers of each, so each value is looked at once
    by a list comprehension: a page of a thousand records costs about 2 ms (a walk that put
    every container on a stack with its depth cost 6 ms, a third of `list()`'s own time)."""
    if data.__class__ not in _CONTAINERS or text.count("[") + text.count("{") <= limit:
        return False
    level = [data]
    depth = 1
    while level:
        if depth > limit:
            return True
        below: list[Any] = []
        for node in level:
            children = node.values() if node.__class__ is dict else node
            below += [child for child in children if child.__class__ in _CONTAINERS]
        level = below
        depth += 1
    return False
