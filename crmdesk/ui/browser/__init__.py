"""The entity browser: one page of one entity's records, paged and sorted by the server."""

from crmdesk.ui.browser.browser import EntityBrowser

__all__ = ["EntityBrowser"]
