"""Deletes everything in a session's account, the learner's role last: in dependency
order (instances before their network, objects before their bucket), each deletion
tolerating what an earlier attempt already removed."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from cmh.labs.adapters.aws.accounts import LabAccount
from cmh.labs.adapters.aws.clients import AwsClients
from cmh.labs.adapters.aws.inventory import AccountInventory
from cmh.labs.adapters.aws.naming import scp_name
from cmh.labs.adapters.aws.policy import LEARNER_ROLE

CLOSED_POLICY = "cmh-lab-closed"
_DENY_EVERYTHING = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}],
}
_GONE = {
    "InvalidInstanceID.NotFound",
    "InvalidVpcID.NotFound",
    "InvalidSubnetID.NotFound",
    "InvalidGroup.NotFound",
    "InvalidInternetGatewayID.NotFound",
    "Gateway.NotAttached",
    "NoSuchBucket",
    "NoSuchEntity",
    "PolicyNotFoundException",
    "PolicyNotAttachedException",
}


def _quietly(call: Any, **arguments: Any) -> None:
    """``call``, where "it is gone already" counts as done."""
    try:
        call(**arguments)
    except ClientError as error:
        if error.response["Error"]["Code"] not in _GONE:
            raise


class AccountCleaner:
    def __init__(self, inventory: AccountInventory) -> None:
        self._inventory = inventory

    def _instances(self, ec2: Any, region: str) -> None:
        ids = [resource.name for resource in self._inventory.instances(ec2, region)]
        if ids:
            _quietly(ec2.terminate_instances, InstanceIds=ids)
            ec2.get_waiter("instance_terminated").wait(
                InstanceIds=ids, WaiterConfig={"Delay": 2, "MaxAttempts": 150}
            )

    def _networks(self, ec2: Any, region: str) -> None:
        resources = self._inventory.networks(ec2, region)
        for gateway in (r for r in resources if r.kind == "internet_gateway"):
            for vpc_id in filter(None, str(gateway.attributes["network_id"]).split(",")):
                _quietly(ec2.detach_internet_gateway, InternetGatewayId=gateway.name, VpcId=vpc_id)
            _quietly(ec2.delete_internet_gateway, InternetGatewayId=gateway.name)
        for subnet in (r for r in resources if r.kind == "subnet"):
            _quietly(ec2.delete_subnet, SubnetId=subnet.name)
        for group in (r for r in resources if r.kind == "security_group"):
            _quietly(ec2.delete_security_group, GroupId=group.name)
        vpc_ids = [r.name for r in resources if r.kind == "network"]
        if vpc_ids:
            tables = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": vpc_ids}])
            for table in tables["RouteTables"]:
                if not any(association.get("Main") for association in table["Associations"]):
                    _quietly(ec2.delete_route_table, RouteTableId=table["RouteTableId"])
        for vpc_id in vpc_ids:
            _quietly(ec2.delete_vpc, VpcId=vpc_id)

    def _buckets(self, s3: Any) -> None:
        for bucket in self._inventory.buckets(s3):
            # Every version and delete marker, or a versioned bucket cannot go.
            for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket.name):
                doomed = [
                    {"Key": item["Key"], "VersionId": item["VersionId"]}
                    for item in page.get("Versions", []) + page.get("DeleteMarkers", [])
                ]
                if doomed:
                    s3.delete_objects(Bucket=bucket.name, Delete={"Objects": doomed, "Quiet": True})
            _quietly(s3.delete_bucket, Bucket=bucket.name)

    def _role(self, iam: Any, name: str) -> None:
        try:
            inline = iam.list_role_policies(RoleName=name)["PolicyNames"]
            attached = iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]
            profiles = iam.list_instance_profiles_for_role(RoleName=name)["InstanceProfiles"]
        except ClientError as error:
            if error.response["Error"]["Code"] == "NoSuchEntity":
                return
            raise
        for policy_name in inline:
            _quietly(iam.delete_role_policy, RoleName=name, PolicyName=policy_name)
        for policy in attached:
            _quietly(iam.detach_role_policy, RoleName=name, PolicyArn=policy["PolicyArn"])
        for profile in profiles:
            _quietly(
                iam.remove_role_from_instance_profile,
                InstanceProfileName=profile["InstanceProfileName"],
                RoleName=name,
            )
        _quietly(iam.delete_role, RoleName=name)

    def _policies(self, iam: Any) -> None:
        for policy in self._inventory.policies(iam):
            versions = iam.list_policy_versions(PolicyArn=policy.name)["Versions"]
            for version in versions:
                if not version["IsDefaultVersion"]:
                    _quietly(
                        iam.delete_policy_version,
                        PolicyArn=policy.name,
                        VersionId=version["VersionId"],
                    )
            _quietly(iam.delete_policy, PolicyArn=policy.name)

    def _close_learner_access(self, iam: Any) -> None:
        # An explicit deny first: nothing new appears while the rest is deleted, and the
        # role itself goes last.
        _quietly(
            iam.put_role_policy,
            RoleName=LEARNER_ROLE,
            PolicyName=CLOSED_POLICY,
            PolicyDocument=json.dumps(_DENY_EVERYTHING),
        )

    def clean(self, member: AwsClients, account: LabAccount) -> None:
        self._close_learner_access(member.client("iam"))
        for region in account.regions:
            ec2 = member.client("ec2", region)
            self._instances(ec2, region)
            self._networks(ec2, region)
        self._buckets(member.client("s3"))
        iam = member.client("iam")
        for role in self._inventory.roles(iam):
            if role.name != LEARNER_ROLE:
                self._role(iam, role.name)
        self._role(iam, LEARNER_ROLE)
        self._policies(iam)

    def remove_region_scp(self, operator: AwsClients, account: LabAccount) -> None:
        organizations = operator.client("organizations")
        name = scp_name(account.session_id)
        for page in organizations.get_paginator("list_policies").paginate(
            Filter="SERVICE_CONTROL_POLICY"
        ):
            for policy in page["Policies"]:
                if policy["Name"] == name:
                    _quietly(
                        organizations.detach_policy,
                        PolicyId=policy["Id"],
                        TargetId=account.account_id,
                    )
                    _quietly(organizations.delete_policy, PolicyId=policy["Id"])
