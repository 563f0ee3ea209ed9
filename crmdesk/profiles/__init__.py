"""Connection profiles (what to connect to, never the secrets), where they are kept, their
secrets (OS keyring only) and the connections they open."""

from typing import TYPE_CHECKING

from crmdesk import lazy_face

if TYPE_CHECKING:
    from crmdesk.profiles.book import BookChange, BookEvent, ProfileBook
    from crmdesk.profiles.connections import Connections, SecretsSource
    from crmdesk.profiles.model import NotificationAuth, NotificationSettings, Profile
    from crmdesk.profiles.secrets import KeyringState, SecretStore
    from crmdesk.profiles.sharing import (
        Imported,
        export_file,
        export_text,
        import_file,
        import_text,
    )
    from crmdesk.profiles.store import LoadedProfiles, ProfileStore

__all__ = [
    "BookChange",
    "BookEvent",
    "Connections",
    "Imported",
    "KeyringState",
    "LoadedProfiles",
    "NotificationAuth",
    "NotificationSettings",
    "Profile",
    "ProfileBook",
    "ProfileStore",
    "SecretStore",
    "SecretsSource",
    "export_file",
    "export_text",
    "import_file",
    "import_text",
]

__getattr__ = lazy_face(
    __name__,
    {
        ".book": ("BookChange", "BookEvent", "ProfileBook"),
        ".connections": ("Connections", "SecretsSource"),
        ".model": ("NotificationAuth", "NotificationSettings", "Profile"),
        ".secrets": ("KeyringState", "SecretStore"),
        ".sharing": ("Imported", "export_file", "export_text", "import_file", "import_text"),
        ".store": ("LoadedProfiles", "ProfileStore"),
    },
)
