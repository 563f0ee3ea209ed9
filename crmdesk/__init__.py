"""crmdesk: a desktop admin console for CRM-style web APIs."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping

__version__ = "0.1.0"


def lazy_face(package: str, modules: Mapping[str, tuple[str, ...]]) -> Callable[[str], object]:
    """The `__getattr__` of a package's public face whose names load on first use.

    `modules` maps each module behind the face (relative to `package`) to the names it gives.
    A name is imported from its module the first time it is asked for, then kept as a plain
    attribute. So importing one name of a face does not import every module behind it: the
    main window needs a few names of each service, and start-up need not wait for the rest
    (issue 13: about a third of the start-up was modules the first window never used). The
    face lists the same names under `if TYPE_CHECKING:` for the type checker.
    """
    where = {name: module for module, names in modules.items() for name in names}

    def __getattr__(name: str) -> object:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
