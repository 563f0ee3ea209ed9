"""Deterministic fake NDCHost account data: the client, the licensing catalogue, its licenses."""

from __future__ import annotations

import random
from datetime import date, timedelta

DEFAULT_PRODUCTS = 240
DEFAULT_LICENSES = 1500

Json = dict[str, object]

_FAMILIES = (
    ("cPanel Solo", "cPanel & WHM for one account on a VPS or dedicated server.", 15.0),
    ("cPanel Admin", "cPanel & WHM for up to five accounts.", 22.0),
    ("cPanel Pro", "cPanel & WHM for up to thirty accounts.", 32.0),
    ("cPanel Premier", "cPanel & WHM for up to one hundred accounts.", 48.0),
    ("CloudLinux OS", "CloudLinux OS with LVE limits for shared hosting.", 12.0),
    ("Imunify360", "Security suite: firewall, malware scanner, patching.", 9.0),
    ("LiteSpeed Web Server", "Drop-in Apache replacement with page caching.", 14.0),
    ("Softaculous Premium", "One-click installer for 400+ scripts.", 2.0),
    ("JetBackup", "Incremental backups for cPanel servers.", 6.0),
    ("WHMCS", "Billing and automation platform.", 18.0),
    ("KernelCare", "Rebootless kernel updates.", 3.0),
    ("Plesk Web Pro", "Plesk panel for up to thirty domains.", 17.0),
)
_TIERS = ("", " VPS", " Dedicated", " Cloud", " Bundle", " Annual Special", " Reseller", " Lite")
_CYCLES = (("monthly", 1), ("quarterly", 3), ("semiannually", 6), ("annually", 12))
_AUTOSETUP = ("", "order", "payment", "on")
GATEWAYS: dict[str, str] = {
    "paypal": "PayPal",
    "stripe": "Credit Card",
    "banktransfer": "Bank Transfer",
    "accountcredit": "Account Credit",
}
_STATUSES = ("Active", "Active", "Active", "Active", "Suspended", "Pending", "Cancelled")
_FIRST_DAY = date(2019, 1, 1)


def client_details(seed: int) -> Json:
    """The account's `client.getdetails` object; strings throughout, as WHMCS writes them."""
    rng = random.Random(f"{seed}:client")
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    company = rng.choice(_COMPANIES)
    city, state, postcode = rng.choice(_CITIES)
    login = _FIRST_DAY + timedelta(days=rng.randrange(2000))
    return {
        "id": str(rng.randrange(1000, 99999)),
        "firstname": first,
        "lastname": last,
        "fullname": f"{first} {last}",
        "companyname": company,
        "email": f"{first.lower()}.{last.lower()}@{company.split()[0].lower()}.example",
        "address1": f"{rng.randrange(1, 2000)} {rng.choice(_STREETS)}",
        "address2": "",
        "city": city,
        "state": state,
        "postcode": postcode,
        "country": "US",
        "countryname": "United States",
        "phonenumber": f"+1.555{rng.randrange(1000000, 9999999)}",
        "status": "Active",
        "credit": f"{rng.randrange(0, 20000) / 100:.2f}",
        "currency_code": "USD",
        "lastlogin": f"{login.isoformat()} {rng.randrange(24):02d}:{rng.randrange(60):02d}:"
        f"{rng.randrange(60):02d}",
    }


def products(seed: int, count: int) -> dict[str, Json]:
    """`cpanellicensing.products` data: id → product, each priced on one or more cycles."""
    rng = random.Random(f"{seed}:products")
    catalogue: dict[str, Json] = {}
    for index in range(count):
        name, description, base = _FAMILIES[index % len(_FAMILIES)]
        round_number, tier_index = divmod(index // len(_FAMILIES), len(_TIERS))
        tier = _TIERS[tier_index] + (f" #{round_number + 1}" if round_number else "")
        monthly = base * (1 + 0.15 * tier_index) * rng.uniform(0.9, 1.1)
        offered = _CYCLES[: rng.choice((1, 2, 4, 4))]
        product_id = 100 + index
        catalogue[str(product_id)] = {
            "id": product_id,
            "name": f"{name}{tier}",
            "description": description,
            "paytype": "recurring",
            "autosetup": rng.choice(_AUTOSETUP),
            "pricing": {
                cycle: f"{monthly * months * (1 - 0.02 * months / 3):.2f}"
                for cycle, months in offered
            },
        }
    return catalogue


def licenses(seed: int, count: int, catalogue: dict[str, Json]) -> dict[str, Json]:
    """`client.licenses` data: license id → license, on products of the catalogue."""
    rng = random.Random(f"{seed}:licenses")
    items = list(catalogue.values())
    found: dict[str, Json] = {}
    for index in range(count):
        product = rng.choice(items)
        pricing = product["pricing"]
        assert isinstance(pricing, dict)
        cycle = rng.choice(list(pricing))
        registered = _FIRST_DAY + timedelta(days=rng.randrange(2200))
        due = registered + timedelta(days=30 * dict(_CYCLES)[cycle] * rng.randrange(1, 12))
        license_id = 5000 + index
        found[str(license_id)] = {
            "id": license_id,
            "productid": product["id"],
            "product": product["name"],
            "ip": f"203.0.{113 + index // 250 % 10}.{index % 250 + 1}",
            "status": rng.choice(_STATUSES),
            "billingcycle": cycle,
            "amount": pricing[cycle],
            "regdate": registered.isoformat(),
            "nextduedate": due.isoformat(),
            "paymentmethod": rng.choice(list(GATEWAYS)),
        }
    return found


_FIRST = ("Heidi", "Omar", "Lena", "Marcus", "Priya", "Tomasz", "Aiko", "Daniel", "Rosa", "Wes")
_LAST = ("Young", "Patel", "Novak", "Okafor", "Schmidt", "Garcia", "Tanaka", "Murphy", "Silva")
_COMPANIES = ("Northwind Hosting", "Tailspin Servers", "Coho Web", "Lucerne Networks")
_CITIES = (
    ("San Clemente", "CA", "92672"),
    ("Austin", "TX", "78701"),
    ("Portland", "OR", "97201"),
    ("Denver", "CO", "80202"),
)
_STREETS = ("Ave Pico", "Main Street", "Harbor Blvd", "Oak Lane", "Elm Court")
