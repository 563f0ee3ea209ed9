"""Emulator of the `/service` command API of the dealer-site platform (kind "aicore")."""

from crmdesk.sandbox.aicore.emulator import AiCoreEmulator

__all__ = ["AiCoreEmulator"]
