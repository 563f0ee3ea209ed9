"""Emulator of the Mothernode CRM API."""

from crmdesk.sandbox.mothernode.emulator import MothernodeEmulator

__all__ = ["MothernodeEmulator"]
