"""The ``CloudLab`` port on AWS: one Organizations account per lab session.

boto3 blocks, so every operation runs in a worker thread (``asyncio.to_thread``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection
from datetime import timedelta

from cmh.labs.adapters.aws.accounts import LabAccount, OrganizationsAccountVendor
from cmh.labs.adapters.aws.clients import AwsClients, AwsCredentials
from cmh.labs.adapters.aws.inventory import AccountInventory
from cmh.labs.adapters.aws.provisioner import TemplateProvisioner
from cmh.labs.adapters.aws.settings import AwsLabSettings
from cmh.labs.adapters.aws.teardown import AccountCleaner
from cmh.labs.application.ports import LabCredentials, ProvisionedLab
from cmh.labs.domain.checks import Inventory, ObservedResource
from cmh.labs.domain.template import LabTemplate


class AwsCloudLab:
    def __init__(
        self,
        settings: AwsLabSettings,
        prepare_member: Callable[[AwsClients, str], None] | None = None,
    ) -> None:
        credentials = None
        if settings.access_key_id and settings.secret_access_key:
            credentials = AwsCredentials(settings.access_key_id, settings.secret_access_key)
        self._settings = settings
        self._operator = AwsClients(settings.endpoint_url, settings.region, credentials)
        self._vendor = OrganizationsAccountVendor(
            self._operator, settings.account_email_domain, prepare_member
        )
        self._provisioner = TemplateProvisioner(self._vendor, self._operator)
        self._inventory = AccountInventory()
        self._cleaner = AccountCleaner(self._inventory)

    @property
    def settings(self) -> AwsLabSettings:
        return self._settings

    @property
    def operator(self) -> AwsClients:
        """The platform's clients in the management account (Cost Explorer reads there)."""
        return self._operator

    def _console_url(self, region: str) -> str | None:
        # A local endpoint has no console; AWS's opens on the lab's region.
        if self._settings.endpoint_url:
            return None
        return f"https://{region}.console.aws.amazon.com/console/home?region={region}"

    def _provision(self, session_id: str, template: LabTemplate, region: str) -> ProvisionedLab:
        account, role_arn = self._provisioner.provision(session_id, template, region)
        lifetime = template.time_limit + template.max_extension
        seconds = min(int(lifetime / timedelta(seconds=1)), self._settings.max_credential_seconds)
        credentials, expires_at = self._provisioner.learner_credentials(
            role_arn, session_id, seconds
        )
        return ProvisionedLab(
            account_id=account.account_id,
            region=region,
            endpoint=self._settings.endpoint_url,
            console_url=self._console_url(region),
            credentials=LabCredentials(
                access_key_id=credentials.access_key_id,
                secret_access_key=credentials.secret_access_key,
                session_token=credentials.session_token or "",
                expires_at=expires_at,
            ),
        )

    async def provision(
        self, session_id: str, template: LabTemplate, region: str
    ) -> ProvisionedLab:
        return await asyncio.to_thread(self._provision, session_id, template, region)

    def _everything(self, account: LabAccount) -> tuple[ObservedResource, ...]:
        member = self._vendor.member(account.account_id)
        return self._inventory.everything(member, account.regions)

    def _observe(self, session_id: str) -> Inventory:
        account = self._vendor.find(session_id)
        if account is None:
            return Inventory((), None)
        member = self._vendor.member(account.account_id)
        return self._inventory.observe(member, account.regions, session_id)

    async def observe(self, session_id: str) -> Inventory:
        return await asyncio.to_thread(self._observe, session_id)

    def _inventory_of(self, session_id: str) -> tuple[ObservedResource, ...]:
        account = self._vendor.find(session_id)
        return () if account is None else self._everything(account)

    async def inventory(self, session_id: str) -> tuple[ObservedResource, ...]:
        return await asyncio.to_thread(self._inventory_of, session_id)

    def _tear_down(self, session_id: str) -> None:
        account = self._vendor.find(session_id)
        if account is None:
            return
        self._cleaner.clean(self._vendor.member(account.account_id), account)
        self._cleaner.remove_region_scp(self._operator, account)

    async def tear_down(self, session_id: str) -> None:
        await asyncio.to_thread(self._tear_down, session_id)

    def _orphans(self, active_session_ids: Collection[str]) -> list[str]:
        active = set(active_session_ids)
        return [
            account.session_id
            for account in self._vendor.lab_accounts()
            if account.session_id not in active and self._everything(account)
        ]

    async def orphans(self, active_session_ids: Collection[str]) -> list[str]:
        return await asyncio.to_thread(self._orphans, active_session_ids)
