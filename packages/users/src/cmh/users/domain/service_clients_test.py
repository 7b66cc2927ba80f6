from cmh.users.domain.service_clients import ServiceClients
from cmh.users.domain.tokens import digest

CLIENTS = ServiceClients({"payments": digest("s3cret-payments")})


def test_a_known_client_with_its_secret_authenticates() -> None:
    assert CLIENTS.authenticate("payments", "s3cret-payments")


def test_wrong_secrets_and_unknown_clients_do_not() -> None:
    assert not CLIENTS.authenticate("payments", "guess")
    assert not CLIENTS.authenticate("labs", "s3cret-payments")
    assert not ServiceClients().authenticate("payments", "")


def test_non_ascii_secrets_and_digests_are_refused_not_an_error() -> None:
    assert not CLIENTS.authenticate("payments", "sécret")
    assert not ServiceClients({"payments": "é" * 64}).authenticate("payments", "sécret")
