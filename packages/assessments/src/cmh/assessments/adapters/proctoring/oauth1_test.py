"""The launch signature as Proctorio's example client computes it: a vector computed by
hand (the base string written out, its HMAC-SHA1 taken with ``openssl dgst -sha1 -hmac``)
and the example's escaping rules."""

from __future__ import annotations

from urllib.parse import parse_qsl

from cmh.assessments.adapters.proctoring import oauth1

URL = "https://us15499ws.proctor.io/6521ca945bd84cfc85d2767da06aa7c8"
PARAMS = [
    ("launch_url", "https://cmh.test/exams/q1/attempts/a1"),
    ("user_id", "ada"),
    ("oauth_consumer_key", "key123"),
    ("fullname", "Ada O'Neil (Lovelace)!*"),
    ("oauth_timestamp", "1772442000"),
    ("oauth_nonce", "n1"),
]
BASE = (
    "POST&https%3A%2F%2Fus15499ws.proctor.io%2F6521ca945bd84cfc85d2767da06aa7c8"
    "&launch_url%3Dhttps%253A%252F%252Fcmh.test%252Fexams%252Fq1%252Fattempts%252Fa1"
    "%26user_id%3Dada%26oauth_consumer_key%3Dkey123"
    "%26fullname%3DAda%2520O%2527Neil%2520%2528Lovelace%2529%2521%252A"
    "%26oauth_timestamp%3D1772442000%26oauth_nonce%3Dn1"
)
# printf '%s' "$BASE" | openssl dgst -sha1 -hmac 's3cret' -binary | base64
SIGNATURE = "JIkjTC1q4FcBbhXTYY/Ls2nnRFE="


def test_the_base_string_keeps_the_given_order_and_escapes_twice() -> None:
    assert oauth1.base_string("POST", URL, PARAMS) == BASE


def test_the_signature_is_hmac_sha1_keyed_with_the_secret_alone() -> None:
    assert oauth1.signature("s3cret", "POST", URL, PARAMS) == SIGNATURE
    # RFC 5849 would key it with "secret&": the example does not.
    assert oauth1.signature("s3cret&", "POST", URL, PARAMS) != SIGNATURE


def test_rfc3986_escapes_what_the_example_upgrades_and_keeps_the_unreserved() -> None:
    assert oauth1.escape("!*'()") == "%21%2A%27%28%29"
    assert oauth1.escape("AZaz09-._~") == "AZaz09-._~"
    assert oauth1.escape("a b/c:d?e=f&g+h") == "a%20b%2Fc%3Ad%3Fe%3Df%26g%2Bh"
    assert oauth1.escape("Zoë 李") == "Zo%C3%AB%20%E6%9D%8E"


def test_keys_and_values_are_url_decoded_before_they_are_escaped() -> None:
    # HttpUtility.UrlDecode first: "+" is a space, "%21" is "!".
    assert oauth1.normalized([("full+name", "Ada+Lovelace%21"), ("empty", "")]) == (
        "full%20name=Ada%20Lovelace%21&empty="
    )


def test_the_order_given_is_the_order_signed_not_a_sorted_one() -> None:
    reordered = [PARAMS[1], PARAMS[0], *PARAMS[2:]]
    assert oauth1.signature("s3cret", "POST", URL, reordered) != SIGNATURE


def test_the_signature_goes_last_in_the_form_body() -> None:
    body = oauth1.form_body(oauth1.signed("s3cret", URL, PARAMS))
    decoded = parse_qsl(body, keep_blank_values=True)
    assert decoded == [*PARAMS, ("oauth_signature", SIGNATURE)]
