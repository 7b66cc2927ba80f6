"""Every profile of the Labs module composes into a strictly validated container (nothing
missing, nothing replaced without saying so); nothing is started."""

from __future__ import annotations

from typing import Any

import pytest

from cmh.kernel.auth.authenticator import Authenticator
from cmh.kernel.auth.revocation import TokenStampSettings
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.di import JwksUrl
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.kernel.module import Profile, compose
from cmh.kernel.settings import DatabaseSettings, KafkaSettings
from cmh.labs.adapters.azure.settings import AzureLabSettings
from cmh.labs.adapters.gcp.settings import GcpLabSettings
from cmh.labs.application.launch_lab import LaunchLab
from cmh.labs.application.ports import CloudLabs
from cmh.labs.application.run_lab_job import RunLabJob
from cmh.labs.module import LabsModule
from cmh.labs.settings import LabsSettings
from cmh_testing.kernel.overrides import adding

SQLITE = DatabaseSettings(url="sqlite+aiosqlite:///:memory:")
CONTEXTS: dict[Profile, dict[Any, Any]] = {
    Profile.MEMORY: {LabsSettings: LabsSettings()},
    Profile.EMBEDDED: {
        LabsSettings: LabsSettings(),
        DatabaseSettings: SQLITE,
        InProcessBus: InProcessBus(),
    },
    Profile.DISTRIBUTED: {
        LabsSettings: LabsSettings(),
        DatabaseSettings: SQLITE,
        KafkaSettings: KafkaSettings(),
        TokenSettings: TokenSettings(),
        JwksUrl: JwksUrl("http://users.local/api/v1/auth/jwks"),
        TokenStampSettings: TokenStampSettings(),
    },
}


class _AppsAuthenticate:
    async def authenticate(self, token: str) -> Any:
        raise AssertionError("not called")


@pytest.mark.parametrize("profile", list(Profile))
async def test_every_profile_composes(profile: Profile) -> None:
    # Outside distributed, the platform that hosts labs brings the token check.
    overrides = (
        [] if profile is Profile.DISTRIBUTED else [adding((Authenticator, _AppsAuthenticate()))]
    )
    container = compose(profile, [LabsModule()], context=CONTEXTS[profile], overrides=overrides)
    await container.close()


async def test_the_memory_profile_builds_its_use_cases_and_job_runner() -> None:
    container = compose(
        Profile.MEMORY,
        [LabsModule()],
        context=CONTEXTS[Profile.MEMORY],
        overrides=[adding((Authenticator, _AppsAuthenticate()))],
    )
    async with container() as request:
        assert isinstance(await request.get(LaunchLab), LaunchLab)
        assert isinstance(await request.get(RunLabJob), RunLabJob)
    await container.close()


@pytest.mark.parametrize(
    ("settings", "providers"),
    [
        (LabsSettings(), ("aws",)),
        (
            LabsSettings(
                azure=AzureLabSettings(
                    subscription_id="00000000-0000-4000-8000-00000000c0de",
                    arm_endpoint="https://127.0.0.1:1",
                    arm_token="local",
                ),
                gcp=GcpLabSettings(
                    parent="folders/1000",
                    storage_endpoint="http://127.0.0.1:1",
                    resource_manager_endpoint="http://127.0.0.1:2",
                    anonymous=True,
                ),
            ),
            ("aws", "azure", "gcp"),
        ),
    ],
)
async def test_distributed_runs_azure_and_gcp_labs_where_configured(
    settings: LabsSettings, providers: tuple[str, ...]
) -> None:
    container = compose(
        Profile.DISTRIBUTED,
        [LabsModule()],
        context=CONTEXTS[Profile.DISTRIBUTED] | {LabsSettings: settings},
    )
    clouds = await container.get(CloudLabs)

    assert clouds.providers() == providers
    await container.close()
