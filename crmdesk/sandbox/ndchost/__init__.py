"""Emulator of the NDCHost client API (a WHMCS `clientapi` addon)."""

from crmdesk.sandbox.ndchost.emulator import NDCHostEmulator

__all__ = ["NDCHostEmulator"]
