"""Word pools for the fake Mothernode account; every person and company is made up."""

from __future__ import annotations

FIRST_NAMES = (
    "Avery", "Blake", "Carmen", "Darius", "Elena", "Faith", "Gabriel", "Hana", "Isaac",
    "Jade", "Kofi", "Leah", "Mateo", "Nadia", "Owen", "Pilar", "Reid", "Selma", "Tariq",
    "Uma", "Vince", "Willa", "Xavier", "Yara", "Zane", "Amara", "Bruno", "Celia", "Dmitri",
    "Esme",
)  # fmt: skip

LAST_NAMES = (
    "Alvarez", "Brooks", "Castillo", "Dawson", "Everett", "Flores", "Grant", "Holloway",
    "Ibarra", "Jennings", "Keller", "Lindqvist", "Monroe", "Nakamura", "Ortega", "Prescott",
    "Quintero", "Ramsey", "Sullivan", "Thornton", "Underwood", "Valdez", "Whitaker", "Xu",
    "Yates", "Zamora",
)  # fmt: skip

COMPANY_FIRST = (
    "Lone Star", "Bayou", "Granite", "Prairie", "Redrock", "Summit", "Cypress", "Harbor",
    "Mesa", "Magnolia", "Ironwood", "Bluebonnet", "Canyon", "Frontier", "Pecan",
)  # fmt: skip

COMPANY_SECOND = (
    "Fabrication", "Signworks", "Builders", "Printing", "Electric", "Supply", "Millwork",
    "Displays", "Interiors", "Logistics", "Roofing", "Graphics",
)  # fmt: skip

LEGAL = ("", " LLC", " Inc.", " Co.", " Group")

# (city, state, zip prefix, area code)
PLACES = (
    ("Houston", "TX", "770", "713"),
    ("Austin", "TX", "787", "512"),
    ("Dallas", "TX", "752", "214"),
    ("San Antonio", "TX", "782", "210"),
    ("Phoenix", "AZ", "850", "602"),
    ("Denver", "CO", "802", "303"),
    ("Atlanta", "GA", "303", "404"),
    ("Nashville", "TN", "372", "615"),
    ("Tampa", "FL", "336", "813"),
    ("Oklahoma City", "OK", "731", "405"),
    ("New Orleans", "LA", "701", "504"),
    ("Sacramento", "CA", "958", "916"),
)

STREETS = ("Main St", "Oak Ave", "Commerce Dr", "Industrial Blvd", "Elm St", "Park Rd")
TITLES = ("Owner", "Office Manager", "Purchasing", "Project Manager", "CFO", "Estimator")
DEPARTMENTS = ("Sales", "Operations", "Accounting", "Purchasing", "Production", "")
SALUTATIONS = ("Mr.", "Ms.", "Mrs.", "Dr.", "")
LEAD_SOURCES = ("Web Site", "Referral", "Trade Show", "Cold Call", "Google Ads", "Repeat")
STAGES = ("Discovery", "Estimate", "Proposal", "Negotiation", "Closed")
PHASES = ("Open", "On Hold", "Won", "Lost")
LEAD_TYPES = ("New Business", "Existing Business", "Service")
OPP_STATUSES = ("Open", "Won", "Lost")
WORK = (
    "Lobby signage", "Vehicle wraps", "Trade show booth", "Office build-out", "Roof repair",
    "Warehouse racking", "Storefront lettering", "Banner reprint", "Monument sign",
)  # fmt: skip
NOTE_SUBJECTS = (
    "Called about the estimate", "Left voicemail", "Site visit", "Sent revised quote",
    "Follow-up meeting", "Install scheduled", "Payment reminder", "Kick-off call",
)  # fmt: skip
NOTE_TEXTS = (
    "Wants the proof by Friday.",
    "Prefers to be reached after 2 pm.",
    "Asked for net-30 terms.",
    "Budget confirmed with the owner.",
    "Will compare with another vendor.",
)
ACTION_TYPES = ("Call", "Email", "Meeting", "Task")
ITEMS = (
    ("Aluminum panel 4x8", "185.00"),
    ("Vinyl lettering (sq ft)", "12.50"),
    ("Installation (hour)", "95.00"),
    ("Design (hour)", "85.00"),
    ("LED module", "42.00"),
    ("Permit fee", "150.00"),
)
USER_IDS = ("1001", "1002", "1003", "1004", "1005")
