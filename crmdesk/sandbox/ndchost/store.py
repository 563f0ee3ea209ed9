"""The emulated NDCHost account: its details, the catalogue, its licenses and the orders placed."""

from __future__ import annotations

import copy
import ipaddress
import random
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

from crmdesk.sandbox.ndchost import data
from crmdesk.sandbox.ndchost.data import GATEWAYS


class OrderRefused(Exception):
    """An order the API turns down, with the message it gives."""


@dataclass(frozen=True, slots=True)
class PlacedOrder:
    """What an order made, as the API reports it."""

    ordernumber: str
    invoiceid: int
    orderstatus: str
    productactivated: bool
    license_id: str
    price: str


class Account:
    """One customer's state. The lock covers tests reading it from their own thread."""

    def __init__(self, seed: int = 1, records_per_entity: int | None = None) -> None:
        product_count = data.DEFAULT_PRODUCTS if records_per_entity is None else records_per_entity
        license_count = data.DEFAULT_LICENSES if records_per_entity is None else records_per_entity
        self._lock = threading.Lock()
        self._rng = random.Random(f"{seed}:orders")
        self.client = data.client_details(seed)
        self.products = data.products(seed, max(1, product_count))
        self.licenses = data.licenses(seed, license_count, self.products)
        self.gateways = dict(GATEWAYS)
        self.orders: list[PlacedOrder] = []
        self._next_invoice = 20_000
        self._next_license = 5000 + license_count

    def snapshot(self, what: str) -> object:
        """A deep copy of the client, products, licenses or gateways, for one reply."""
        with self._lock:
            source: object = {
                "client": self.client,
                "products": self.products,
                "licenses": self.licenses,
                "gateways": self.gateways,
            }[what]
            return copy.deepcopy(source)

    def order(self, product: str, ip: str, cycle: str, gateway: str) -> PlacedOrder:
        """Place an order as the order function documents it, or raise OrderRefused."""
        with self._lock:
            found = self.products.get(product.strip())
            if found is None:
                raise OrderRefused("Invalid product id")
            try:
                address = ipaddress.ip_address(ip.strip())
            except ValueError:
                raise OrderRefused("Invalid IP address") from None
            pricing = found["pricing"]
            assert isinstance(pricing, dict)
            if cycle not in pricing:
                raise OrderRefused(
                    f"Invalid billing cycle; this product offers {', '.join(pricing)}"
                )
            if gateway and gateway not in self.gateways:
                raise OrderRefused("Invalid payment gateway")
            # A second license for the same product and IP goes to staff review.
            clash = any(
                lic["productid"] == found["id"]
                and lic["ip"] == str(address)
                and lic["status"] != "Cancelled"
                for lic in self.licenses.values()
            )
            activated = not clash and found["autosetup"] == "order"
            license_id = str(self._next_license)
            self._next_license += 1
            self.licenses[license_id] = {
                "id": int(license_id),
                "productid": found["id"],
                "product": found["name"],
                "ip": str(address),
                "status": "Active" if activated else "Pending",
                "billingcycle": cycle,
                "amount": pricing[cycle],
                "regdate": datetime.now(UTC).date().isoformat(),
                "nextduedate": datetime.now(UTC).date().isoformat(),
                "paymentmethod": gateway or next(iter(self.gateways)),
            }
            placed = PlacedOrder(
                ordernumber=str(self._rng.randrange(10**9, 10**10)),
                invoiceid=self._next_invoice,
                orderstatus="Review" if clash else "Pending",
                productactivated=activated,
                license_id=license_id,
                price=str(pricing[cycle]),
            )
            self._next_invoice += 1
            self.orders.append(placed)
            return placed
