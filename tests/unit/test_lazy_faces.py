"""The packages whose public face loads names on first use (`crmdesk.lazy_face`) list each
name three times: imported for the type checker, in `__all__`, and in the face's map. These
must agree, or a name the type checker accepts fails only when the app first reaches it."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import crmdesk

FACES = (
    "crmdesk.api",
    "crmdesk.desk",
    "crmdesk.editing",
    "crmdesk.exporting",
    "crmdesk.history",
    "crmdesk.inbox",
    "crmdesk.profiles",
)


def _type_checking_names(package: str) -> set[str]:
    """The names the face imports under `if TYPE_CHECKING:` (and any it imports outright)."""
    path = Path(crmdesk.__file__).parent.parent / (package.replace(".", "/") + "/__init__.py")
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module != "__future__":
            if node.module in ("typing", "crmdesk"):
                continue
            names.update(alias.asname or alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("package", FACES)
def test_every_public_name_of_a_face_loads_and_is_the_one_typed(package: str) -> None:
    module = importlib.import_module(package)
    public = set(module.__all__)
    assert public == _type_checking_names(package)
    for name in sorted(public):
        value = getattr(module, name)  # loads it through the face's map
        assert value is not None, name


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = importlib.import_module("crmdesk.api").nothing_here
