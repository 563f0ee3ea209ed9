"""Deterministic fake GetResponse data: lists, tags, custom fields, GDPR fields, imports, contacts.

The same seed always gives the same resources. Timestamps are RFC 3339 in UTC ("+00:00"): the
docs' examples write "+0000", which the OpenAPI's own `date-time` format does not accept.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from crmdesk.sandbox.cmdatamanager import words as w
from crmdesk.sandbox.getresponse.resources import Resource

API_ROOT = "https://api.getresponse.com/v3"
DEFAULT_COUNTS: Mapping[str, int] = {
    "campaigns": 200,
    "tags": 400,
    "custom-fields": 200,
    "gdpr-fields": 200,
    "imports": 600,
    "contacts": 3000,
}
ORIGINS = ("import", "email", "www", "panel", "leads", "sale", "api", "landing_page", "webinar")
TIME_ZONES = ("Europe/Warsaw", "Europe/London", "America/New_York", "Asia/Tokyo", "UTC")
FIELD_TYPES = ("string", "number", "date", "country", "phone", "gender", "url", "currency")
IMPORT_STATUSES = ("uploaded", "review", "approved", "rejected", "finished", "canceled")
_TOPICS = (
    "newsletter", "offers", "webinar", "onboarding", "product_news", "events", "trial",
    "customers", "partners", "blog", "black_friday", "spring_sale", "vip", "leads", "beta",
)  # fmt: skip
_CHOICES = ("red", "green", "blue", "small", "medium", "large", "yes", "no", "maybe")
_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ID_SPACE = len(_ALPHABET) ** 5
# Coprime with 62**5, so n -> n * _STRIDE + offset is a bijection: ids never collide.
_STRIDE = 387_420_489
_EPOCH = datetime(2023, 1, 1, tzinfo=UTC)


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def now_stamp() -> str:
    return stamp(datetime.now(UTC))


def href(path: str, resource_id: str) -> str:
    return f"{API_ROOT}/{path}/{resource_id}"


class ResourceIds:
    """Short mixed-case ids like "pV3r5", distinct per collection, computable from a number."""

    def __init__(self, seed: int, path: str) -> None:
        self._offset = random.Random(f"{seed}:{path}:ids").randrange(_ID_SPACE)

    def __call__(self, number: int) -> str:
        value = (number * _STRIDE + self._offset) % _ID_SPACE
        digits = []
        for _ in range(5):
            value, digit = divmod(value, len(_ALPHABET))
            digits.append(_ALPHABET[digit])
        return "".join(digits).lstrip("0") or "0"


def _moments(rng: random.Random, n: int) -> list[datetime]:
    return sorted(_EPOCH + timedelta(seconds=rng.randrange(3 * 365 * 86400)) for _ in range(n))


def campaign_ref(campaign: Resource) -> Resource:
    return {
        "campaignId": campaign["campaignId"],
        "href": campaign["href"],
        "name": campaign["name"],
    }


class FakeData:
    """Generates each collection; contacts and imports point at generated lists, tags, fields."""

    def __init__(self, seed: int, counts: Mapping[str, int]) -> None:
        self.seed = seed
        self.counts = dict(counts)
        self.ids = {path: ResourceIds(seed, path) for path in DEFAULT_COUNTS}

    def _rng(self, path: str) -> random.Random:
        return random.Random(f"{self.seed}:{path}")

    def campaigns(self) -> list[Resource]:
        rng, n, ids = self._rng("campaigns"), self.counts["campaigns"], self.ids["campaigns"]
        stems = rng.choices(w.COMPANY_STEMS, k=n)
        topics = rng.choices(_TOPICS, k=n)
        out = []
        for i, moment in enumerate(_moments(rng, n)):
            cid = ids(i)
            name = f"{stems[i].lower().replace(' ', '_')}_{topics[i]}_{i}"
            out.append(
                {
                    "campaignId": cid,
                    "name": name,
                    "techName": f"{rng.getrandbits(64):016x}",
                    "languageCode": rng.choice(("EN", "PL", "DE", "FR", "ES")),
                    "isDefault": "true" if i == 0 else "false",
                    "createdOn": stamp(moment),
                    "href": href("campaigns", cid),
                }
            )
        return out

    def tags(self) -> list[Resource]:
        rng, n, ids = self._rng("tags"), self.counts["tags"], self.ids["tags"]
        topics = rng.choices(_TOPICS, k=n)
        return [
            {
                "tagId": ids(i),
                "href": href("tags", ids(i)),
                "createdAt": stamp(moment),
                "name": f"{topics[i]}_{i}",
                "color": "",
            }
            for i, moment in enumerate(_moments(rng, n))
        ]

    def custom_fields(self) -> list[Resource]:
        rng, n, ids = (
            self._rng("custom-fields"),
            self.counts["custom-fields"],
            self.ids["custom-fields"],
        )
        out = []
        for i in range(n):
            kind = rng.choice(FIELD_TYPES)
            form = rng.choice(("single_select", "multi_select", "radio")) if i % 3 == 0 else "text"
            values = rng.sample(_CHOICES, 3) if form != "text" else []
            out.append(
                {
                    "customFieldId": ids(i),
                    "href": href("custom-fields", ids(i)),
                    "name": f"{rng.choice(_TOPICS)}_{kind}_{i}",
                    "type": kind,
                    "valueType": kind,
                    "format": form,
                    "fieldType": form,
                    "hidden": rng.choice(("false", "false", "true")),
                    "values": values,
                }
            )
        return out

    def gdpr_fields(self) -> list[Resource]:
        rng, n, ids = self._rng("gdpr-fields"), self.counts["gdpr-fields"], self.ids["gdpr-fields"]
        out = []
        for i, moment in enumerate(_moments(rng, n)):
            gid = ids(i)
            out.append(
                {
                    "gdprFieldId": gid,
                    "name": f"Consent #{i + 1}: {rng.choice(_TOPICS).replace('_', ' ')}",
                    "createdOn": stamp(moment),
                    "href": href("gdpr-fields", gid),
                    "latestVersion": {
                        "gdprFieldVersionId": f"{gid}v{rng.randrange(1, 5)}",
                        "content": f"I agree to receive {rng.choice(_TOPICS).replace('_', ' ')}.",
                        "createdOn": stamp(moment + timedelta(days=rng.randrange(90))),
                    },
                }
            )
        return out

    def imports(self, campaigns: Sequence[Resource]) -> list[Resource]:
        rng, n, ids = self._rng("imports"), self.counts["imports"], self.ids["imports"]
        out = []
        for i, moment in enumerate(_moments(rng, n)):
            uploaded = rng.randrange(1, 5000)
            invalid = rng.randrange(0, max(1, uploaded // 20))
            updated = rng.randrange(0, uploaded - invalid + 1)
            resource: Resource = {
                "importId": ids(i),
                "status": rng.choice(IMPORT_STATUSES),
                "statistics": {
                    "uploaded": uploaded,
                    "invalid": invalid,
                    "updated": updated,
                    "addedToList": uploaded - invalid - updated,
                },
                "createdOn": stamp(moment),
                "finishedOn": stamp(moment + timedelta(seconds=rng.randrange(30, 7200))),
                "href": href("imports", ids(i)),
            }
            if campaigns:
                resource["campaign"] = campaign_ref(rng.choice(campaigns))
            out.append(resource)
        return out

    def contacts(
        self,
        campaigns: Sequence[Resource],
        tags: Sequence[Resource],
        fields: Sequence[Resource],
    ) -> list[Resource]:
        rng, n, ids = self._rng("contacts"), self.counts["contacts"], self.ids["contacts"]
        firsts, lasts = rng.choices(w.FIRST_NAMES, k=n), rng.choices(w.LAST_NAMES, k=n)
        out = []
        for i, moment in enumerate(_moments(rng, n)):
            cid = ids(i)
            changed = moment + timedelta(seconds=rng.randrange(0, 200 * 86400))
            domain = rng.choice(w.COMPANY_STEMS).lower().replace(" ", "") + ".example"
            contact: Resource = {
                "contactId": cid,
                "href": href("contacts", cid),
                "name": f"{firsts[i]} {lasts[i]}",
                "email": f"{firsts[i]}.{lasts[i]}.{i}@{domain}".lower(),
                "origin": rng.choice(ORIGINS),
                "timeZone": rng.choice(TIME_ZONES),
                "activities": f"{href('contacts', cid)}/activities",
                "createdOn": stamp(moment),
                "changedOn": stamp(changed),
                "dayOfCycle": str(rng.randrange(0, 30)) if rng.random() < 0.3 else None,
                "scoring": round(rng.uniform(0, 100), 1) if rng.random() < 0.6 else None,
                "engagementScore": rng.randrange(1, 6) if rng.random() < 0.8 else None,
                "note": rng.choice(w.DESCRIPTIONS) if rng.random() < 0.2 else None,
                "ipAddress": _ip(rng),
                "geolocation": _geolocation(rng),
                "tags": [
                    tag_ref(t) for t in rng.sample(list(tags), min(len(tags), rng.randrange(4)))
                ],
                "customFieldValues": [
                    field_value(f, [rng.choice(f["values"] or list(_CHOICES))])
                    for f in rng.sample(list(fields), min(len(fields), rng.randrange(3)))
                ],
            }
            if campaigns:
                contact["campaign"] = campaign_ref(rng.choice(campaigns))
            out.append(contact)
        return out


def tag_ref(tag: Resource) -> Resource:
    return {"tagId": tag["tagId"], "name": tag["name"], "href": tag["href"], "color": ""}


def field_value(field: Resource, value: list[str]) -> Resource:
    return {
        "customFieldId": field["customFieldId"],
        "name": field["name"],
        "value": list(value),
        "values": list(value),
        "type": field["type"],
        "fieldType": field["format"],
        "valueType": field["valueType"],
    }


def _ip(rng: random.Random) -> str:
    return f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


def _geolocation(rng: random.Random) -> dict[str, Any]:
    city, country = rng.choice(w.PLACES)[:2]
    return {
        "latitude": f"{rng.uniform(-60, 60):.4f}",
        "longitude": f"{rng.uniform(-150, 150):.4f}",
        "continentCode": rng.choice(("EU", "NA", "AS", "SA", "OC", "AF")),
        "countryCode": str(country)[:2].upper(),
        "region": None,
        "postalCode": f"{rng.randrange(10000, 99999)}",
        "dmaCode": None,
        "city": city,
    }
