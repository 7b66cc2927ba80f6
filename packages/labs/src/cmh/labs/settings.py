"""Settings of the Labs context (``CMH_LABS__...`` when loaded with the kernel's
``load_settings``)."""

from __future__ import annotations

import msgspec

from cmh.labs.adapters.aws.settings import AwsLabSettings
from cmh.labs.adapters.azure.settings import AzureLabSettings
from cmh.labs.adapters.crypto.settings import VaultSettings
from cmh.labs.adapters.gcp.settings import GcpLabSettings
from cmh.labs.adapters.local_moto.settings import EmbeddedMotoSettings
from cmh.labs.adapters.sqs.settings import SqsJobSettings
from cmh.labs.adapters.users.settings import UsersClientSettings


class LabsSettings(msgspec.Struct, frozen=True):
    """``aws``: AWS itself or infra/local's moto (distributed); ``azure``, ``gcp``: Azure
    and GCP through their SDKs (distributed; unset, no labs there); ``moto``: the embedded
    profile's in-process moto server; ``vault``: the credentials key; ``jobs``: the SQS
    job queue (distributed); ``users``: the users service (distributed)."""

    aws: AwsLabSettings = AwsLabSettings()
    azure: AzureLabSettings = AzureLabSettings()
    gcp: GcpLabSettings = GcpLabSettings()
    moto: EmbeddedMotoSettings = EmbeddedMotoSettings()
    vault: VaultSettings = VaultSettings()
    jobs: SqsJobSettings = SqsJobSettings()
    users: UsersClientSettings = UsersClientSettings()
