"""NDCHost client API (WHMCS `clientapi` addon): form POSTs, a status envelope, local paging.

Wire facts: API-NOTES.md section 3; decisions: DESIGN.md. Where both are silent:
- Every call goes to the base URL as given (a trailing slash httpx adds after `.php` is dropped).
- An error is `status` other than "success", whatever the HTTP status; its kind is read from
  the `message` words (a bad or missing key is AUTH, an unknown module or function UNSUPPORTED).
- `client.licenses` and `billing.paymentgateways` replies are undocumented: an id-keyed map or a
  list of objects is accepted for both.
- The order's price is the product's `pricing` entry for the chosen cycle; the order is refused
  here, before anything is charged, when the product does not price that cycle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from crmdesk.api.backends.base import Backend
from crmdesk.api.backends.local import FetchedLists, page_locally
from crmdesk.api.backends.ndchost_envelope import envelope_data, refusal, retry_at_of
from crmdesk.api.backends.ndchost_records import (
    CALLS,
    CLIENT,
    ENTITIES,
    LICENSES,
    ORDER,
    ORDER_LICENSE,
    PRODUCTS,
    known_fields,
    price_text,
    read_client,
    read_gateways,
    read_records,
)
from crmdesk.api.backends.parse import label_from_name
from crmdesk.api.backends.wire import form_field, with_form_fields
from crmdesk.api.errors import ApiError, ErrorKind
from crmdesk.api.exchange import Exchange
from crmdesk.api.model import (
    ActionPreview,
    ActionResult,
    ActionSpec,
    EntityInfo,
    FieldSpec,
    Outcome,
    OutcomeCheck,
    Page,
    Query,
    RawRequest,
    Record,
    WireRequest,
)
from crmdesk.api.transport import Reply, Transport
from crmdesk.api.words import yes_no

# Pages after the first reuse the list fetched for page 1 for this long, so paging through
# (or exporting) a few thousand licenses costs one fetch, not one per page.
SNAPSHOT_SECONDS = 30.0


class NdcHost(Backend):
    """An NDCHost customer account, reached through its client API key."""

    kind = "ndchost"

    def __init__(
        self,
        transport: Transport,
        *,
        credentials: Mapping[str, str],
        read_only: bool = False,
    ) -> None:
        super().__init__(transport, read_only=read_only)
        self._apikey = credentials["apikey"]
        self._endpoint = _endpoint(transport.base_url)
        self._lists = FetchedLists(SNAPSHOT_SECONDS)

    # -- one call --------------------------------------------------------------------------

    async def _call(
        self, module: str, function: str, params: Mapping[str, str] | None = None
    ) -> tuple[Reply, Any]:
        """POST one API function; the reply and its `data`, or the ApiError it stands for.

        Reads are retried by the transport after a dropped connection or a gateway error, and
        sent once more after a 429's wait; an order never is, since a second try could charge
        twice.
        """
        form = self._form(module, function, params)
        safe = (module, function) != ORDER
        reply = await self._request(form, safe)
        if safe and reply.status == 429:
            # No limit is documented, but a proxy may set one: wait as told, then once more.
            reply = await self._after_quota_wait(
                reply,
                retry_at_of(reply),
                lambda before: self._request(form, safe, before),
                refusal,
            )
        return reply, envelope_data(reply, f"{module}.{function}")

    def _form(self, module: str, function: str, params: Mapping[str, str] | None) -> dict[str, str]:
        # The required fields last, so no function parameter can stand in for them.
        return {
            **(params or {}),
            "m": "clientapi",
            "apikey": self._apikey,
            "apimodule": module,
            "apifunction": function,
        }

    async def _request(
        self, form: Mapping[str, str], safe: bool, retry_of: Exchange | None = None
    ) -> Reply:
        return await self._transport.request(
            "POST",
            self._endpoint,
            form=form,
            repeatable=safe,
            retry_of=retry_of,
            note="after the quota reset" if retry_of is not None else "",
        )

    async def _send(self, wire: WireRequest) -> Reply:
        form = dict(wire.form or {})
        module, function = form.pop("apimodule", ""), form.pop("apifunction", "")
        reply, _ = await self._call(module, function, form)
        return reply

    def _signed(self, wire: WireRequest) -> WireRequest:
        form = dict(wire.form or {})
        params = {k: str(v) for k, v in form.items() if k not in ("apimodule", "apifunction")}
        signed = self._form(form.get("apimodule", ""), form.get("apifunction", ""), params)
        return WireRequest(wire.method, wire.path, wire.params, form=signed)

    async def _authorize(self, request: RawRequest) -> RawRequest:
        return with_form_fields(request, {"apikey": self._apikey})

    def _is_write(self, request: RawRequest) -> bool:
        called = (form_field(request, "apimodule"), form_field(request, "apifunction"))
        return called not in CALLS.values() and called != ("billing", "paymentgateways")

    # -- the contract ----------------------------------------------------------------------

    async def _test_connection(self) -> str:
        reply, data = await self._call(*CALLS[CLIENT])
        client = read_client(reply, data)
        values = client.values
        name = " ".join(str(values.get(k) or "") for k in ("firstname", "lastname")).strip()
        company = str(values.get("companyname") or "")
        email = str(values.get("email") or "")
        who = name or company or email or f"client {client.id}"
        if company and company != who:
            who += f" ({company})"
        if email and email != who:
            who += f" <{email}>"
        return f"The API key works: signed in as {who}, client {client.id}."

    async def _list_entities(self) -> tuple[EntityInfo, ...]:
        return ENTITIES

    async def _fields_of(self, entity: str) -> tuple[FieldSpec, ...]:
        specs = {spec.name: spec for spec in known_fields(entity)}
        # The API has no field metadata; name what the records carry beyond the documented.
        for record in (await self._fetch(entity))[:50]:
            for name in record.values:
                specs.setdefault(
                    name,
                    FieldSpec(
                        name, label_from_name(name), read_only=True, extra={"inferred": True}
                    ),
                )
        return tuple(specs.values())

    async def _list(self, info: EntityInfo, query: Query) -> Page:
        records = await self._lists.get(info.name, query.page, lambda: self._fetch(info.name))
        fields = {spec.name: spec for spec in known_fields(info.name)}
        return page_locally(records, query, fields=fields)

    async def _get(self, info: EntityInfo, record_id: str) -> Record:
        module, function = CALLS[info.name]
        reply, data = await self._call(module, function)
        for record in self._read(info.name, reply, data):
            if record.id == record_id:
                return record
        raise reply.error(
            f"There is no {info.label.lower()} record {record_id}.", kind=ErrorKind.NOT_FOUND
        )

    async def _run_action(
        self, info: EntityInfo, record_id: str, action: str, args: dict[str, Any]
    ) -> ActionResult:
        if info.name == PRODUCTS and action == ORDER_LICENSE.name:
            return await self._order(record_id, args)
        return await super()._run_action(info, record_id, action, args)

    async def _action_inputs(
        self,
        info: EntityInfo,
        record_id: str,
        spec: ActionSpec,
        inputs: tuple[FieldSpec, ...],
    ) -> tuple[FieldSpec, ...]:
        """The order's billing cycles are the product's priced ones; its gateways the account's."""
        product = await self._product(record_id)
        cycles = tuple(_priced_cycles(product))
        gateways = tuple(await self._payment_gateways())
        options = {"billingcycle": cycles, "paymentgateway": gateways}
        return tuple(replace(f, options=options.get(f.name, f.options)) for f in inputs)

    async def _preview_action(
        self, info: EntityInfo, record_id: str, spec: ActionSpec, args: dict[str, Any]
    ) -> ActionPreview:
        ip, cycle = _order_target(args)
        name, price = await self._order_price(record_id, cycle)
        gateway = str(args.get("paymentgateway") or "").strip()
        facts = [("Product", name), ("Server IP", ip), ("Billing cycle", cycle), ("Price", price)]
        if gateway:
            shown = (await self._payment_gateways()).get(gateway, gateway)
            facts.append(("Payment method", shown))
        return ActionPreview(
            spec,
            f"Order {name} for {ip}, billed {cycle} at {price}. This is invoiced to the account.",
            tuple(facts),
            cost=price,
            # The order reads the product's price once more before it orders.
            api_calls=2,
        )

    async def _payment_gateways(self) -> dict[str, str]:
        """Gateway module name → display name, for the order's optional `paymentgateway`."""
        reply, data = await self._call("billing", "paymentgateways")
        return read_gateways(reply, data)

    async def _order_price(self, product_id: str, billing_cycle: str) -> tuple[str, str]:
        """(product name, price) the server states for ordering `product_id` on that cycle."""
        product = await self._product(product_id)
        pricing = product.values.get("pricing")
        price = pricing.get(billing_cycle) if isinstance(pricing, Mapping) else None
        if price is None or price_text(price) is None:
            offered = product.values.get("prices") or "none"
            raise ApiError(
                ErrorKind.INVALID,
                f"{product.values.get('name') or product.id} has no {billing_cycle!r} price "
                f"(prices: {offered}); nothing was ordered.",
            )
        return str(product.values.get("name") or product.id), str(price_text(price))

    # -- helpers ---------------------------------------------------------------------------

    async def _order(self, product_id: str, args: dict[str, Any]) -> ActionResult:
        ip, cycle = _order_target(args)
        name, price = await self._order_price(product_id, cycle)
        params = {"product": product_id, "ip": ip, "billingcycle": cycle}
        gateway = str(args.get("paymentgateway") or "").strip()
        if gateway:
            params["paymentgateway"] = gateway
        reply, data = await self._call("cpanellicensing", "order", params)
        self._lists.forget(LICENSES)
        if not isinstance(data, Mapping):
            raise reply.error("The order reply's data is not an object.", kind=ErrorKind.PROTOCOL)
        order = str(data.get("ordernumber") or "?")
        invoice = str(data.get("invoiceid") or "?")
        status = str(data.get("orderstatus") or "unknown")
        activated = yes_no(data.get("productactivated")) is True
        done = "active now" if activated else f"status {status}, not active yet"
        return ActionResult(
            f"Ordered {name} for {ip}, {cycle} at {price}: order {order}, invoice {invoice} "
            f"({done}).",
            created_id=order,
            queued=not activated,
        )

    async def _check_action(
        self, info: EntityInfo, record_id: str, action: str, args: Mapping[str, Any]
    ) -> OutcomeCheck:
        """An order shows as a license of that product for that IP, registered today."""
        if info.name != PRODUCTS or action != ORDER_LICENSE.name:
            return await super()._check_action(info, record_id, action, args)
        ip, _ = _order_target(args)
        product = await self._product(record_id)
        self._lists.forget(LICENSES)
        names = {record_id, str(product.values.get("name") or "")}
        alike = [
            lic
            for lic in await self._fetch(LICENSES)
            if str(lic.values.get("ip") or "").strip() == ip
            and {str(lic.values.get("productid") or ""), str(lic.values.get("product") or "")}
            & names
        ]
        if not alike:
            return OutcomeCheck(
                Outcome.NOT_APPLIED,
                f"No license of this product for {ip} exists: nothing was ordered. Ordering "
                "again is safe.",
                safe_to_retry=True,
            )
        recent = [lic for lic in alike if _registered_lately(lic.values.get("regdate"))]
        if len(alike) == 1 and recent:
            lic = recent[0]
            status = lic.values.get("status") or "unknown"
            return OutcomeCheck(
                Outcome.APPLIED,
                f"License {lic.id} for {ip} was registered today (status {status}): the order "
                "was placed. Do not order again.",
                lic,
            )
        return OutcomeCheck(
            Outcome.UNKNOWN,
            f"{ip} has {len(alike)} licenses of this product ({len(recent)} registered today), "
            "so crmdesk cannot tell whether this order is among them; check the account's "
            "orders before ordering again.",
        )

    async def _product(self, product_id: str) -> Record:
        reply, data = await self._call(*CALLS[PRODUCTS])
        for record in read_records(PRODUCTS, reply, data):
            if record.id == product_id:
                return record
        raise reply.error(f"There is no product {product_id}.", kind=ErrorKind.NOT_FOUND)

    async def _fetch(self, entity: str) -> tuple[Record, ...]:
        reply, data = await self._call(*CALLS[entity])
        return self._read(entity, reply, data)

    @staticmethod
    def _read(entity: str, reply: Reply, data: Any) -> tuple[Record, ...]:
        if entity == CLIENT:
            return (read_client(reply, data),)
        return read_records(entity, reply, data)


def _order_target(args: Mapping[str, Any]) -> tuple[str, str]:
    ip = str(args.get("ip") or "").strip()
    cycle = str(args.get("billingcycle") or "").strip()
    missing = [name for name, value in (("ip", ip), ("billingcycle", cycle)) if not value]
    if missing:
        raise ApiError(
            ErrorKind.INVALID, f"An order needs {' and '.join(missing)}; nothing was ordered."
        )
    return ip, cycle


def _priced_cycles(product: Record) -> list[str]:
    pricing = product.values.get("pricing")
    if not isinstance(pricing, Mapping):
        return []
    return [str(cycle) for cycle, price in pricing.items() if price_text(price) is not None]


def _endpoint(base_url: str) -> str:
    # httpx gives every base URL a trailing slash; `index.php/` is not the documented address.
    return base_url[:-1] if base_url.endswith(".php/") else base_url


def _registered_lately(value: Any) -> bool:
    """Whether a license's `regdate` is today (give or take a day for time zones)."""
    try:
        day = dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return False
    return abs((dt.datetime.now(dt.UTC).date() - day).days) <= 1
