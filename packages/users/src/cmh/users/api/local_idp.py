"""``/local-idp``: the sign-in page of the embedded profile's stand-in identity provider
(``cmh.users.adapters.identity.local_idp``). Not part of the platform's API (absent from
its OpenAPI document): it plays the provider's part of the authorization code flow, the
page a browser is sent to by ``POST /api/v1/auth/sso/start``'s ``authorization_url``."""

from __future__ import annotations

import html
from typing import Annotated, Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect

from cmh.kernel.errors import Unauthenticated
from cmh.users.adapters.identity.local_idp import AuthorizeRequest, LocalIdentityServer

# A page that takes a password: never cached, never framed, nothing loaded from elsewhere.
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "frame-ancestors 'none'",
}


def _page(server: LocalIdentityServer, request: AuthorizeRequest, error: str = "") -> str:
    hidden = "".join(
        f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(value)}">'
        for name, value in request.hidden_fields().items()
    )
    people = "".join(
        f"<li><code>{html.escape(i.username)}</code>: {html.escape(i.email)}"
        f"{'' if i.email_verified else ' (address not verified)'}</li>"
        for i in server.identities
    )
    alert = f'<p role="alert">{html.escape(error)}</p>' if error else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Stand-in identity provider</title>
<style>body{{font-family:sans-serif;max-width:32rem;margin:3rem auto}}
[role=alert]{{color:#b00}}</style></head>
<body><h1>Stand-in identity provider</h1>
<p>Local development only. Sign in as one of its stand-in identities (their password is in
the README); you are then sent back to <code>{html.escape(request.redirect_uri)}</code>.</p>
<ul>{people}</ul>{alert}
<form method="post" action="/local-idp/authorize">{hidden}
<label>Username <input name="username" autocomplete="username" required></label><br>
<label>Password <input name="password" type="password" autocomplete="current-password"
required></label><br><button type="submit">Sign in</button></form></body></html>"""


class LocalIdpController(Controller):
    path = "/local-idp"
    include_in_schema = False

    @get("/authorize", operation_id="local_idp_authorize_page")
    @inject
    async def page(
        self, request: Request[Any, Any, Any], server: FromDishka[LocalIdentityServer]
    ) -> Response[str]:
        authorize = server.authorize_request(dict(request.query_params))
        return Response(_page(server, authorize), media_type="text/html", headers=PAGE_HEADERS)

    @post("/authorize", operation_id="local_idp_sign_in", status_code=303)
    @inject
    async def sign_in(
        self,
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
        server: FromDishka[LocalIdentityServer],
    ) -> Response[str] | Redirect:
        authorize = server.authorize_request(data)
        try:
            location = server.sign_in(authorize, data.get("username", ""), data.get("password", ""))
        except Unauthenticated as wrong:
            page = _page(server, authorize, wrong.detail)
            return Response(page, status_code=401, media_type="text/html", headers=PAGE_HEADERS)
        return Redirect(location, status_code=303, headers={"Cache-Control": "no-store"})
