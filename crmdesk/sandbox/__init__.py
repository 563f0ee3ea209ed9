"""Emulators of the CRM APIs crmdesk speaks, on loopback, with fake data and fault injection."""

from crmdesk.sandbox.aicore import AiCoreEmulator
from crmdesk.sandbox.cmdatamanager import CMDataManagerEmulator
from crmdesk.sandbox.emulator import Emulator
from crmdesk.sandbox.faults import Fault
from crmdesk.sandbox.getresponse import GetResponseEmulator
from crmdesk.sandbox.mothernode import MothernodeEmulator
from crmdesk.sandbox.ndchost import NDCHostEmulator
from crmdesk.sandbox.pushadmin import Pusher
from crmdesk.sandbox.requestlog import RecordedRequest
from crmdesk.sandbox.server import Sandbox, SandboxEndpoint, SandboxThread

__all__ = [
    "AiCoreEmulator",
    "CMDataManagerEmulator",
    "Emulator",
    "Fault",
    "GetResponseEmulator",
    "MothernodeEmulator",
    "NDCHostEmulator",
    "Pusher",
    "RecordedRequest",
    "Sandbox",
    "SandboxEndpoint",
    "SandboxThread",
]
