"""Word pools the fake CRM data is drawn from; every company and domain is fictional."""

from __future__ import annotations

FIRST_NAMES = (
    "Heidi", "Omar", "Lena", "Marcus", "Priya", "Tomasz", "Aiko", "Daniel", "Fatima", "George",
    "Ingrid", "Jamal", "Keiko", "Luis", "Maya", "Niall", "Olga", "Pedro", "Quinn", "Rosa",
    "Samir", "Tessa", "Umar", "Vera", "Wes", "Ximena", "Yusuf", "Zoe", "Aaron", "Bianca",
    "Carlos", "Dana", "Elif", "Felix", "Grace", "Hugo", "Isla", "Jonas", "Kara", "Liam",
    "Mila", "Noah", "Oscar", "Paula", "Rafael", "Sofia", "Theo", "Una", "Victor", "Wendy",
)  # fmt: skip

LAST_NAMES = (
    "Young", "Patel", "Novak", "Okafor", "Schmidt", "Garcia", "Tanaka", "Murphy", "Rossi",
    "Kowalski", "Nguyen", "Johansson", "Haddad", "Fischer", "Silva", "Brennan", "Ivanova",
    "Moreau", "Larsen", "Costa", "Dubois", "Kim", "Lopez", "Walsh", "Yilmaz", "Bauer",
    "Chen", "Andersen", "Hughes", "Mendes", "Oduya", "Park", "Quist", "Reyes", "Sato",
    "Turner", "Ueda", "Varga", "Weber", "Zhang", "Abbott", "Bishop", "Carver", "Doyle",
    "Ellis", "Fraser", "Gill", "Hart", "Irwin", "Jensen",
)  # fmt: skip

COMPANY_STEMS = (
    "Northwind", "Contoso", "Fabrikam", "Tailspin", "Litware", "Proseware", "Wingtip",
    "Coho", "Alpine", "Lucerne", "Trey", "Woodgrove", "Bellows", "Relecloud", "Southridge",
    "Blue Yonder", "Wide World", "Fourth Coffee", "Graphic Design", "Adatum", "Lamna",
    "Humongous", "Margie", "Nod", "Cronus", "Bluebell", "Kestrel", "Harbor", "Juniper",
    "Quarry", "Silverleaf", "Ironbark", "Meridian", "Oakhurst", "Pinecrest", "Redwood",
    "Stonebridge", "Thistle", "Vantage", "Willow",
)  # fmt: skip

COMPANY_KINDS = (
    "Traders", "Systems", "Logistics", "Labs", "Foods", "Holdings", "Partners", "Media",
    "Health", "Energy", "Analytics", "Outfitters", "Airlines", "Bank", "Consulting", "Works",
)  # fmt: skip

LEGAL_FORMS = ("", "", " Ltd", " Inc", " GmbH", " BV", " AB", " SA")

PLACES = (
    ("London", "United Kingdom", "+44 20 7946 0"),
    ("Manchester", "United Kingdom", "+44 161 496 0"),
    ("Dublin", "Ireland", "+353 1 555 0"),
    ("Berlin", "Germany", "+49 30 5557 0"),
    ("Munich", "Germany", "+49 89 5557 0"),
    ("Paris", "France", "+33 1 55 55 0"),
    ("Lyon", "France", "+33 4 55 55 0"),
    ("Madrid", "Spain", "+34 91 555 0"),
    ("Amsterdam", "Netherlands", "+31 20 555 0"),
    ("Stockholm", "Sweden", "+46 8 555 0"),
    ("Milan", "Italy", "+39 02 5555 0"),
    ("New York", "United States", "+1 212 555 0"),
    ("Austin", "United States", "+1 512 555 0"),
    ("Toronto", "Canada", "+1 416 555 0"),
    ("Sydney", "Australia", "+61 2 5550 0"),
    ("Singapore", "Singapore", "+65 6555 0"),
)

TITLES = (
    "Head of Sales", "Operations Manager", "CFO", "IT Director", "Purchasing Lead",
    "Marketing Manager", "Office Manager", "CEO", "Account Executive", "Product Owner",
    "Procurement Officer", "Finance Controller", "Customer Success Lead", "CTO",
)  # fmt: skip

TASK_SUBJECTS = (
    "Call back about pricing", "Send proposal", "Follow up on demo", "Book onsite visit",
    "Renewal check-in", "Send contract for signature", "Chase unpaid invoice",
    "Prepare quarterly review", "Introduce new account manager", "Confirm delivery date",
    "Share case study", "Schedule onboarding call",
)  # fmt: skip

OPPORTUNITY_ITEMS = (
    "annual licence", "seat expansion", "support upgrade", "pilot project", "renewal",
    "onboarding package", "data migration", "training days",
)  # fmt: skip

DESCRIPTIONS = (
    "Met at the spring trade show.",
    "Prefers email over phone.",
    "Budget approved for next quarter.",
    "Asked for a reference customer in the same industry.",
    "Decision maker is on leave until next month.",
    "Price sensitive; compare with the competitor's offer.",
)

PLAN_PRICES = {"Starter": 12, "Team": 25, "Business": 49, "Enterprise": 99}
