"""The entity browser: one entity's records, a page at a time, found, read and taken out.

`EntityBrowser` is loaded on first use (the first tab), not when the window starts: the
browser is most of the UI's code, and start-up need not wait for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crmdesk.ui.browser.browser import EntityBrowser

__all__ = ["EntityBrowser"]


def __getattr__(name: str) -> object:
    if name == "EntityBrowser":
        from crmdesk.ui.browser.browser import EntityBrowser

        return EntityBrowser
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
