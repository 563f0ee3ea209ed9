"""The UI never branches on the kind of API: what a connection offers comes from the contract.

A kind's name in a UI module, an isinstance check against a backend class, or a comparison of
`.kind` would be a door the contract does not have; the Desk and the backends own that.
"""

from __future__ import annotations

import ast
from pathlib import Path

import crmdesk
from crmdesk.api import kinds

UI = Path(crmdesk.__file__).parent / "ui"
BACKEND_CLASSES = {"CmDataManager", "Mothernode", "NdcHost", "GetResponse", "AiCore"}


def ui_modules() -> list[Path]:
    return sorted(UI.rglob("*.py"))


def test_no_ui_module_names_a_kind_of_api() -> None:
    found = []
    for path in ui_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                words = node.value.lower()
                found += [f"{path.name}:{node.lineno} {k}" for k in kinds() if k in words]
    assert not found, "\n".join(found)


def test_no_ui_module_checks_a_backend_class_or_compares_kinds() -> None:
    found = []
    for path in ui_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id in BACKEND_CLASSES:
                found.append(f"{path.name}:{node.lineno} uses {node.id}")
            if isinstance(node, ast.Compare):
                sides = [node.left, *node.comparators]
                if any(_api_kind(side) for side in sides):
                    found.append(f"{path.name}:{node.lineno} compares a connection's kind")
    assert not found, "\n".join(found)


def _api_kind(node: ast.expr) -> bool:
    """`profile.kind`, `session.profile.kind`, `backend.kind`, `info.kind`: a kind of API
    (a change log's `change.kind` is something else)."""
    if not (isinstance(node, ast.Attribute) and node.attr == "kind"):
        return False
    owner = ast.unparse(node.value).lower()
    return any(word in owner for word in ("profile", "backend", "session", "info"))


def test_the_rule_catches_what_it_is_for(tmp_path: Path) -> None:
    # The checks above walk real syntax trees; make sure they would see an offence.
    offending = "if session.profile.kind == 'aicore':\n    pass\n"
    tree = ast.parse(offending)
    compares = [n for n in ast.walk(tree) if isinstance(n, ast.Compare)]
    assert any(_api_kind(c.left) for c in compares)
    assert not _api_kind(ast.parse("change.kind", mode="eval").body)
    names = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)]
    assert "aicore" in names
