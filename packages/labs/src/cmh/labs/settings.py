"""Settings of the Labs context (``CMH_LABS__...`` when loaded with the kernel's
``load_settings``)."""

from __future__ import annotations

import msgspec

from cmh.labs.adapters.aws.settings import AwsLabSettings
from cmh.labs.adapters.crypto.settings import VaultSettings
from cmh.labs.adapters.sqs.settings import SqsJobSettings


class LabsSettings(msgspec.Struct, frozen=True):
    aws: AwsLabSettings = AwsLabSettings()
    vault: VaultSettings = VaultSettings()
    jobs: SqsJobSettings = SqsJobSettings()
