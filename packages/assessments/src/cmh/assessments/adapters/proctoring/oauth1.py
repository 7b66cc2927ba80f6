"""OAuth 1.0 HMAC-SHA1 signing of a form POST, exactly as Proctorio's official example
client signs its launch call (github.com/proctorio/API, "C# Example", Apache-2.0):

- each key and value is URL-decoded first (``HttpUtility.UrlDecode``: ``+`` is a space),
  then escaped per RFC 3986: every byte of its UTF-8 form but ``A-Z a-z 0-9 - . _ ~`` as
  ``%XX`` (``Uri.EscapeDataString`` upgraded to escape ``! * ' ( )`` too);
- the normalized parameter string is ``key=value`` joined by ``&`` in the order given
  (the example does not sort);
- the signature base string is ``POST&`` + escaped URL + ``&`` + escaped normalized string;
- the HMAC-SHA1 key is the consumer secret alone (no ``&`` and no token secret, unlike
  RFC 5849), the signature its base64, sent as ``oauth_signature`` after the others.

Pure: no clock, no randomness, no I/O."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Sequence
from urllib.parse import quote, unquote_plus, urlencode

Params = Sequence[tuple[str, str]]


def escape(value: str) -> str:
    """RFC 3986 percent-encoding: only the unreserved characters stay as they are."""
    return quote(value, safe="")


def normalized(params: Params) -> str:
    return "&".join(f"{escape(unquote_plus(k))}={escape(unquote_plus(v))}" for k, v in params)


def base_string(method: str, url: str, params: Params) -> str:
    return f"{method.upper()}&{escape(url)}&{escape(normalized(params))}"


def signature(secret: str, method: str, url: str, params: Params) -> str:
    # The example reads the secret and the base string as ASCII (the base string is
    # ASCII once escaped; a secret is too).
    digest = hmac.new(
        secret.encode("ascii", "replace"),
        base_string(method, url, params).encode("ascii"),
        hashlib.sha1,
    ).digest()
    return base64.b64encode(digest).decode("ascii")


def signed(secret: str, url: str, params: Params) -> list[tuple[str, str]]:
    """``params`` with their ``oauth_signature`` for a POST to ``url`` appended."""
    return [*params, ("oauth_signature", signature(secret, "POST", url, params))]


def form_body(params: Params) -> str:
    """The ``application/x-www-form-urlencoded`` body, the parameters in their order."""
    return urlencode(list(params))
