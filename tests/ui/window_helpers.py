"""A window's context for tests: a Desk with the sandbox's connections for this session only."""

from __future__ import annotations

from crmdesk.demo import demo_profiles
from crmdesk.desk import Desk
from crmdesk.sandbox import SandboxThread
from crmdesk.ui.context import UiContext


def make_context(sandbox: SandboxThread | None) -> UiContext:
    """A window's context on a Desk with the sandbox's connections for this session only."""
    desk = Desk.create()
    if sandbox is not None:
        for profile, credentials in demo_profiles(sandbox.endpoints):
            desk.add_session_profile(profile, credentials)
    return UiContext.for_desk(desk, saved_connections=False)
