"""Emulator of the GetResponse APIv3 (contacts, lists, tags, custom and GDPR fields, imports)."""

from crmdesk.sandbox.getresponse.emulator import GetResponseEmulator

__all__ = ["GetResponseEmulator"]
