"""The token gate: off on localhost unless asked for, required for every request when set.

Why one token and no user accounts: the server is one runner's own tool or a
coach's box, and the threat is the network, not the people allowed in.  API
clients send ``Authorization: Bearer T`` or ``X-Formcheck-Token: T``; a browser
logs in once through ``/login``, which sets an HttpOnly, SameSite=Strict
cookie (scripts cannot read it and other sites cannot send it, so the pages'
own JavaScript works and cross-site form posts do not).  Comparison is in
constant time.  This is plain ASGI middleware rather than a dependency on each
route, so a route added later cannot forget it.
"""

from __future__ import annotations

import hmac
import json
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import quote

COOKIE = "formcheck_token"
OPEN_PATHS = ("/login",)  # the login page itself


def token_matches(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


def request_token(headers: dict[bytes, bytes]) -> str | None:
    """The token a request carries: the Authorization header, X-Formcheck-Token, else the cookie."""
    auth = headers.get(b"authorization", b"").decode("latin-1")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    if b"x-formcheck-token" in headers:
        return headers[b"x-formcheck-token"].decode("latin-1").strip()
    cookie = SimpleCookie()
    try:
        cookie.load(headers.get(b"cookie", b"").decode("latin-1"))
    except Exception:  # a malformed Cookie header is simply no token
        return None
    morsel = cookie.get(COOKIE)
    return morsel.value if morsel else None


class TokenGate:
    """ASGI middleware: 401 JSON for the API, a redirect to /login for pages, when the token is missing or wrong."""

    def __init__(self, app: Any, token: str | None) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if self.token is None or scope["type"] not in ("http", "websocket") or scope["path"] in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        if token_matches(request_token(headers), self.token):
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path.startswith("/api/") or path == "/openapi.json" or scope["method"] != "GET":
            given = request_token(headers) is not None
            body = json.dumps({"detail": "wrong token" if given else "this server needs a token: send "
                               "'Authorization: Bearer TOKEN' or log in at /login"}).encode()  # fmt: skip
            await send({"type": "http.response.start", "status": 401,
                        "headers": [(b"content-type", b"application/json"), (b"www-authenticate", b"Bearer")]})
            await send({"type": "http.response.body", "body": body})
            return
        target = path + (("?" + scope["query_string"].decode("latin-1")) if scope.get("query_string") else "")
        await send({"type": "http.response.start", "status": 303,
                    "headers": [(b"location", f"/login?next={quote(target, safe='')}".encode())]})
        await send({"type": "http.response.body", "body": b""})
