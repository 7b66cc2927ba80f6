from cmh.gateway.domain.forwarded_principal import (
    PRINCIPAL_HEADER,
    SIGNATURE_HEADER,
    forwarded_principal_headers,
    verify_forwarded_principal,
)
from cmh.kernel.auth.principal import Principal

PRINCIPAL = Principal("u-1", frozenset({"learner"}), tier="pro", token_id="t-1")


def test_a_signed_principal_round_trips() -> None:
    headers = forwarded_principal_headers(PRINCIPAL, "secret")
    assert headers[PRINCIPAL_HEADER] == '{"sub":"u-1","roles":["learner"],"tier":"pro","jti":"t-1"}'
    assert verify_forwarded_principal(headers, "secret") == PRINCIPAL


def test_a_tampered_or_foreign_signature_is_ignored() -> None:
    headers = forwarded_principal_headers(PRINCIPAL, "secret")
    tampered = {**headers, PRINCIPAL_HEADER: headers[PRINCIPAL_HEADER].replace("learner", "admin")}
    assert verify_forwarded_principal(tampered, "secret") is None
    assert verify_forwarded_principal(headers, "other") is None
    assert verify_forwarded_principal(headers, "") is None
    assert verify_forwarded_principal({SIGNATURE_HEADER: "x"}, "secret") is None


def test_a_non_ascii_signature_is_ignored_not_an_error() -> None:
    headers = forwarded_principal_headers(PRINCIPAL, "secret")
    for signature in ("é", "\u00e9" * 64, "\ud800"):
        assert (
            verify_forwarded_principal({**headers, SIGNATURE_HEADER: signature}, "secret") is None
        )
