"""Emulator of the CMDataManager API (Campaign Master)."""

from crmdesk.sandbox.cmdatamanager.emulator import CMDataManagerEmulator

__all__ = ["CMDataManagerEmulator"]
