"""crmdesk: a desktop admin console for CRM-style web APIs."""

__version__ = "0.1.0"
