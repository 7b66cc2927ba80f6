"""What is in a session's account, whoever created it: listed service by service (the
tagging API would miss what the learner left untagged)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from cmh.labs.adapters.aws.clients import AwsClients
from cmh.labs.adapters.aws.naming import RESOURCE_TAG
from cmh.labs.adapters.aws.policy import ORGANIZATION_ROLE
from cmh.labs.domain.checks import SESSION_TAG, Inventory, ObservedResource

# Roles AWS itself keeps in every account: not the lab's to list or delete.
_AWS_ROLE_PATHS = ("/aws-service-role/", "/aws-reserved/")


def _tags(items: list[dict[str, str]] | None) -> dict[str, str]:
    return {item["Key"]: item["Value"] for item in items or []}


def _error_code(error: ClientError) -> str:
    return str(error.response["Error"]["Code"])


class AccountInventory:
    def instances(self, ec2: Any, region: str) -> list[ObservedResource]:
        found = []
        for page in ec2.get_paginator("describe_instances").paginate():
            for reservation in page["Reservations"]:
                for instance in reservation["Instances"]:
                    state = instance["State"]["Name"]
                    if state == "terminated":
                        continue
                    found.append(
                        ObservedResource(
                            kind="instance",
                            name=instance["InstanceId"],
                            region=region,
                            tags=_tags(instance.get("Tags")),
                            attributes={
                                "state": state,
                                "network_id": instance.get("VpcId", ""),
                                "instance_type": instance["InstanceType"],
                            },
                        )
                    )
        return found

    def networks(self, ec2: Any, region: str) -> list[ObservedResource]:
        """Everything of EC2 networking that is not the region's default VPC."""
        vpcs = ec2.describe_vpcs()["Vpcs"]
        default_vpcs = {vpc["VpcId"] for vpc in vpcs if vpc.get("IsDefault")}
        found = [
            ObservedResource(
                "network",
                vpc["VpcId"],
                region,
                _tags(vpc.get("Tags")),
                {"cidr": vpc["CidrBlock"]},
            )
            for vpc in vpcs
            if vpc["VpcId"] not in default_vpcs
        ]
        found += [
            ObservedResource(
                "subnet",
                subnet["SubnetId"],
                region,
                _tags(subnet.get("Tags")),
                {"network_id": subnet["VpcId"]},
            )
            for subnet in ec2.describe_subnets()["Subnets"]
            if subnet["VpcId"] not in default_vpcs
        ]
        found += [
            ObservedResource(
                "security_group",
                group["GroupId"],
                region,
                _tags(group.get("Tags")),
                {"network_id": group.get("VpcId", "")},
            )
            for group in ec2.describe_security_groups()["SecurityGroups"]
            if group["GroupName"] != "default"
        ]
        found += [
            ObservedResource(
                "internet_gateway",
                gateway["InternetGatewayId"],
                region,
                _tags(gateway.get("Tags")),
                {
                    "network_id": ",".join(
                        attachment["VpcId"] for attachment in gateway.get("Attachments", [])
                    )
                },
            )
            for gateway in ec2.describe_internet_gateways()["InternetGateways"]
            if not any(
                attachment["VpcId"] in default_vpcs for attachment in gateway.get("Attachments", [])
            )
        ]
        return found

    def buckets(self, s3: Any) -> list[ObservedResource]:
        found = []
        for bucket in s3.list_buckets()["Buckets"]:
            name = bucket["Name"]
            region = s3.get_bucket_location(Bucket=name).get("LocationConstraint") or "us-east-1"
            try:
                tags = _tags(s3.get_bucket_tagging(Bucket=name)["TagSet"])
            except ClientError as error:
                if _error_code(error) != "NoSuchTagSet":
                    raise
                tags = {}
            versioning = s3.get_bucket_versioning(Bucket=name).get("Status") == "Enabled"
            found.append(ObservedResource("bucket", name, region, tags, {"versioning": versioning}))
        return found

    def roles(self, iam: Any) -> list[ObservedResource]:
        found = []
        for page in iam.get_paginator("list_roles").paginate():
            for role in page["Roles"]:
                if role["RoleName"] == ORGANIZATION_ROLE or role["Path"].startswith(
                    _AWS_ROLE_PATHS
                ):
                    continue
                found.append(ObservedResource("role", role["RoleName"], "global", {}, {}))
        return found

    def policies(self, iam: Any) -> list[ObservedResource]:
        found = []
        for page in iam.get_paginator("list_policies").paginate(Scope="Local"):
            for policy in page["Policies"]:
                found.append(ObservedResource("policy", policy["Arn"], "global", {}, {}))
        return found

    def everything(
        self, member: AwsClients, regions: tuple[str, ...]
    ) -> tuple[ObservedResource, ...]:
        found: list[ObservedResource] = []
        for region in regions:
            ec2 = member.client("ec2", region)
            found += self.instances(ec2, region)
            found += self.networks(ec2, region)
        found += self.buckets(member.client("s3"))
        iam = member.client("iam")
        found += self.roles(iam)
        found += self.policies(iam)
        return tuple(found)

    def observe(self, member: AwsClients, regions: tuple[str, ...], session_id: str) -> Inventory:
        """What the task checks look at: networks, buckets and instances."""
        found: list[ObservedResource] = []
        for region in regions:
            ec2 = member.client("ec2", region)
            found += self.instances(ec2, region)
            found += [
                resource for resource in self.networks(ec2, region) if resource.kind == "network"
            ]
        found += self.buckets(member.client("s3"))
        session_network = next(
            (
                resource.name
                for resource in found
                if resource.kind == "network"
                and resource.tags.get(SESSION_TAG) == session_id
                and resource.tags.get(RESOURCE_TAG) == "network"
            ),
            None,
        )
        return Inventory(tuple(found), session_network)
