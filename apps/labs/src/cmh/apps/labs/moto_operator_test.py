import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from cmh.apps.labs.moto_operator import create_operator, with_moto_operator
from cmh.apps.labs.settings import load_labs_settings
from cmh.kernel.settings import SettingsError
from cmh.labs.adapters.aws.clients import AwsClients, AwsCredentials

KEY = "ZmFrZS1rZXktZm9yLXRoZS1zZXR0aW5ncy10ZXN0cyE="


def test_without_the_flag_the_configured_keys_stay() -> None:
    settings = load_labs_settings(
        {"CMH_LABS__VAULT__KEY": KEY, "CMH_LABS__AWS__ACCESS_KEY_ID": "AKIAEXAMPLE"}
    )

    assert with_moto_operator(settings) is settings


def test_the_flag_without_a_moto_endpoint_is_refused() -> None:
    settings = load_labs_settings({"CMH_LABS__VAULT__KEY": KEY, "CMH_MOTO_OPERATOR": "true"})

    with pytest.raises(SettingsError, match="CMH_LABS__AWS__ENDPOINT_URL"):
        with_moto_operator(settings)


@pytest.mark.integration
def test_on_moto_the_service_makes_an_operator_that_moto_accepts() -> None:
    url = os.environ.get("CMH_TEST_MOTO_URL", "http://127.0.0.1:5055")
    settings = load_labs_settings(
        {
            "CMH_LABS__VAULT__KEY": KEY,
            "CMH_MOTO_OPERATOR": "true",
            "CMH_LABS__AWS__ENDPOINT_URL": url,
        }
    )

    aws = with_moto_operator(settings).labs.aws

    assert aws.access_key_id
    assert aws.secret_access_key
    operator = AwsClients(url, aws.region, AwsCredentials(aws.access_key_id, aws.secret_access_key))
    # IAM enforcement is on: an unknown key would be refused here.
    identity = operator.client("sts").get_caller_identity()
    assert ":user/cmh-platform-" in identity["Arn"]


@pytest.mark.integration
def test_processes_starting_together_each_get_an_operator() -> None:
    url = os.environ.get("CMH_TEST_MOTO_URL", "http://127.0.0.1:5055")

    # Each call has its own MotoAdmin, as separate processes would: their unchecked
    # windows overlap on the server.
    with ThreadPoolExecutor(max_workers=4) as pool:
        made = list(pool.map(lambda _: create_operator(url, "us-east-1"), range(4)))

    for credentials in made:
        sts = AwsClients(url, "us-east-1", credentials).client("sts")
        assert ":user/cmh-platform-" in sts.get_caller_identity()["Arn"]
