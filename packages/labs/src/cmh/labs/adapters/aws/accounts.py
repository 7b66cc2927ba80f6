"""One AWS account per lab session, from AWS Organizations, found again by its name.

The account is named after the session, so a repeated call finds the account that a
crashed one created (or is still creating) instead of making a second. The platform
reaches it by assuming ``OrganizationAccountAccessRole`` from the management account.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from cmh.labs.adapters.aws.clients import AwsClients, assume
from cmh.labs.adapters.aws.policy import ORGANIZATION_ROLE
from cmh.labs.domain.checks import SESSION_TAG

ACCOUNT_PREFIX = "cmh-lab-"
# Tag of the account: the regions its lab may use (space-separated: tag values allow no
# commas), where inventory and teardown look.
REGIONS_TAG = "cmh:regions"


@dataclass(frozen=True)
class LabAccount:
    account_id: str
    session_id: str
    regions: tuple[str, ...]


def account_name(session_id: str) -> str:
    return f"{ACCOUNT_PREFIX}{session_id}"


class OrganizationsAccountVendor:
    def __init__(
        self,
        operator: AwsClients,
        email_domain: str,
        prepare_member: Callable[[AwsClients, str], None] | None = None,
        poll_seconds: float = 2.0,
    ) -> None:
        self._operator = operator
        self._email_domain = email_domain
        # moto's OrganizationAccountAccessRole lacks the policy AWS gives it (moto_admin).
        self._prepare_member = prepare_member
        self._poll_seconds = poll_seconds
        self._organization_ready = False

    @property
    def _organizations(self) -> Any:
        return self._operator.client("organizations")

    def management_account_id(self) -> str:
        return str(self._operator.client("sts").get_caller_identity()["Account"])

    def ensure_organization(self) -> str:
        """The organization's root id; creates the organization (all features, SCPs on)
        the first time."""
        organizations = self._organizations
        try:
            organizations.describe_organization()
        except ClientError as error:
            if error.response["Error"]["Code"] != "AWSOrganizationsNotInUseException":
                raise
            try:
                organizations.create_organization(FeatureSet="ALL")
            except ClientError as create_error:
                code = create_error.response["Error"]["Code"]
                if code != "AlreadyInOrganizationException":
                    raise
        root = organizations.list_roots()["Roots"][0]
        enabled = {
            policy_type["Type"]
            for policy_type in root.get("PolicyTypes", [])
            if policy_type.get("Status") == "ENABLED"
        }
        if not self._organization_ready and "SERVICE_CONTROL_POLICY" not in enabled:
            try:
                organizations.enable_policy_type(
                    RootId=root["Id"], PolicyType="SERVICE_CONTROL_POLICY"
                )
            except ClientError as error:
                if error.response["Error"]["Code"] != "PolicyTypeAlreadyEnabledException":
                    raise
        self._organization_ready = True
        return str(root["Id"])

    def _accounts(self) -> Iterator[dict[str, str]]:
        for page in self._organizations.get_paginator("list_accounts").paginate():
            yield from page["Accounts"]

    def lab_accounts(self) -> list[LabAccount]:
        """Every active account made for a lab session."""
        found = []
        for account in self._accounts():
            if account["Name"].startswith(ACCOUNT_PREFIX) and account["Status"] == "ACTIVE":
                found.append(self._lab_account(account))
        return found

    def _lab_account(self, account: dict[str, str]) -> LabAccount:
        tags = {
            tag["Key"]: tag["Value"]
            for tag in self._organizations.list_tags_for_resource(ResourceId=account["Id"])["Tags"]
        }
        return LabAccount(
            account_id=account["Id"],
            session_id=tags.get(SESSION_TAG, account["Name"].removeprefix(ACCOUNT_PREFIX)),
            regions=tuple(tags.get(REGIONS_TAG, "").split()),
        )

    def find(self, session_id: str) -> LabAccount | None:
        name = account_name(session_id)
        for account in self._accounts():
            if account["Name"] == name and account["Status"] == "ACTIVE":
                return self._lab_account(account)
        return None

    def _pending_request(self, name: str) -> str | None:
        paginator = self._organizations.get_paginator("list_create_account_status")
        for page in paginator.paginate(States=["IN_PROGRESS"]):
            for status in page["CreateAccountStatuses"]:
                if status.get("AccountName") == name:
                    return str(status["Id"])
        return None

    def _wait_for(self, request_id: str) -> str:
        while True:
            status = self._organizations.describe_create_account_status(
                CreateAccountRequestId=request_id
            )["CreateAccountStatus"]
            if status["State"] == "SUCCEEDED":
                return str(status["AccountId"])
            if status["State"] == "FAILED":
                raise RuntimeError(f"account creation failed: {status.get('FailureReason')}")
            time.sleep(self._poll_seconds)

    def ensure(self, session_id: str, regions: tuple[str, ...]) -> LabAccount:
        """The session's account, created unless it exists or is being created."""
        self.ensure_organization()
        regions_tag = {"Key": REGIONS_TAG, "Value": " ".join(sorted(set(regions)))}
        existing = self.find(session_id)
        if existing is not None:
            if set(existing.regions) != set(regions):
                self._organizations.tag_resource(ResourceId=existing.account_id, Tags=[regions_tag])
            account_id = existing.account_id
        else:
            name = account_name(session_id)
            request_id = self._pending_request(name)
            if request_id is None:
                request_id = self._organizations.create_account(
                    Email=f"lab+{session_id}@{self._email_domain}",
                    AccountName=name,
                    Tags=[{"Key": SESSION_TAG, "Value": session_id}, regions_tag],
                )["CreateAccountStatus"]["Id"]
            account_id = self._wait_for(request_id)
        return LabAccount(account_id, session_id, tuple(sorted(set(regions))))

    def member(self, account_id: str, region: str | None = None) -> AwsClients:
        """Clients of the platform inside the member account."""
        credentials, _ = assume(
            self._operator,
            f"arn:aws:iam::{account_id}:role/{ORGANIZATION_ROLE}",
            "cmh-platform",
        )
        member = self._operator.as_role(credentials, region)
        if self._prepare_member is not None:
            self._prepare_member(member, account_id)
        return member
