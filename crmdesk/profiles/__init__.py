"""Connection profiles (what to connect to, never the secrets) and the connections they open."""

from crmdesk.profiles.connections import Connections
from crmdesk.profiles.model import Profile

__all__ = ["Connections", "Profile"]
