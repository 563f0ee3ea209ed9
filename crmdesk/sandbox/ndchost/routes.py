"""The client API's one endpoint: `m=clientapi`, the key check, and the functions it routes to.

Decisions where the wiki is silent (API-NOTES.md section 3): API errors answer HTTP 200 with
`{"status": "error", "message": ...}`, as WHMCS addons do; a request without `m=clientapi` gets
the client area's HTML home page, because that is what WHMCS's index.php serves; an empty map
is sent as `[]`, because that is how PHP's json_encode writes an empty array.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, Mapping

from aiohttp import web

from crmdesk.sandbox.ndchost.store import Account, OrderRefused

BASE_PATH = "/index.php"
INVALID_KEY = "Invalid API Key"
_CLIENT_AREA = (
    '<!DOCTYPE html>\n<html lang="en">\n<head><title>Client Area - NDCHost</title></head>\n'
    "<body><h1>Welcome to our Client Area</h1><p>Please log in.</p></body>\n</html>\n"
)

Params = Mapping[str, str]
Function = Callable[[Params], Awaitable[web.Response]]


class ApiFailure(Exception):
    """An answer the API gives as an error envelope."""

    def __init__(self, message: str, status: int = 200) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def error_envelope(message: str, status: int = 200) -> web.Response:
    return web.json_response({"status": "error", "message": message}, status=status)


def _success(message: str, data: object) -> web.Response:
    # PHP encodes an empty associative array as a JSON list.
    return web.json_response({"status": "success", "message": message, "data": data or []})


async def read_params(request: web.Request) -> dict[str, str]:
    """GET and POST parameters as PHP's $_REQUEST sees them: the form wins over the query."""
    params = dict(request.query)
    if request.method == "POST":
        form = await request.post()
        params.update({name: value for name, value in form.items() if isinstance(value, str)})
    return params


def operation(params: Params) -> str:
    """`module/function` of a request, for fault filters and logs."""
    return f"{params.get('apimodule', '')}/{params.get('apifunction', '')}"


class NDCHostRoutes:
    """The request handler; every answer but the client area page is a JSON envelope."""

    def __init__(self, account: Account, apikey: str, *, api_enabled: bool = True) -> None:
        self.account = account
        self.apikey = apikey
        self.api_enabled = api_enabled
        self._functions: dict[str, dict[str, Function]] = {
            "client": {"getdetails": self.getdetails, "licenses": self.licenses},
            "cpanellicensing": {"products": self.products, "order": self.order},
            "billing": {"paymentgateways": self.paymentgateways},
        }

    def register(self, app: web.Application) -> None:
        app.router.add_route("GET", BASE_PATH, self.handle)
        app.router.add_route("POST", BASE_PATH, self.handle)

    async def handle(self, request: web.Request) -> web.Response:
        params = await read_params(request)
        if params.get("m") != "clientapi":
            return web.Response(text=_CLIENT_AREA, content_type="text/html")
        try:
            function = self._route(params)
            return await function(params)
        except ApiFailure as failure:
            return error_envelope(failure.message, failure.status)

    def _route(self, params: Params) -> Function:
        given = params.get("apikey", "")
        if not given:
            raise ApiFailure("Missing required parameter: apikey")
        if not hmac.compare_digest(given.encode(), self.apikey.encode()):
            raise ApiFailure(INVALID_KEY)
        if not self.api_enabled:
            raise ApiFailure("API access is not enabled for this account")
        module, function = _required(params, "apimodule"), _required(params, "apifunction")
        functions = self._functions.get(module)
        if functions is None:
            raise ApiFailure(f"Invalid API module: {module}")
        found = functions.get(function)
        if found is None:
            raise ApiFailure(f"Invalid API function: {function}")
        return found

    # -- the functions ----------------------------------------------------------------------

    async def getdetails(self, params: Params) -> web.Response:
        return _success("successfully retrieved client details", self.account.snapshot("client"))

    async def licenses(self, params: Params) -> web.Response:
        return _success("successfully retrieved licenses", self.account.snapshot("licenses"))

    async def products(self, params: Params) -> web.Response:
        return _success("successfully retrieved products", self.account.snapshot("products"))

    async def paymentgateways(self, params: Params) -> web.Response:
        gateways = self.account.snapshot("gateways")
        return _success("successfully retrieved payment gateways", gateways)

    async def order(self, params: Params) -> web.Response:
        product = _required(params, "product")
        ip = _required(params, "ip")
        cycle = _required(params, "billingcycle")
        try:
            placed = self.account.order(product, ip, cycle, params.get("paymentgateway", ""))
        except OrderRefused as refused:
            raise ApiFailure(str(refused)) from None
        return _success(
            "order placed successfully",
            {
                "ordernumber": placed.ordernumber,
                "invoiceid": placed.invoiceid,
                "orderstatus": placed.orderstatus,
                "productactivated": placed.productactivated,
            },
        )


def _required(params: Params, name: str) -> str:
    value = params.get(name, "").strip()
    if not value:
        raise ApiFailure(f"Missing required parameter: {name}")
    return value
