"""Creates a template's resources in the session's account, each found before it is made."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from cmh.labs.adapters.aws.accounts import LabAccount, OrganizationsAccountVendor
from cmh.labs.adapters.aws.clients import AwsClients, AwsCredentials, assume
from cmh.labs.adapters.aws.naming import (
    ACCESS_POLICY,
    BOUNDARY_POLICY,
    RESOURCE_TAG,
    bucket_name,
    scp_name,
    session_tags,
)
from cmh.labs.adapters.aws.policy import (
    LEARNER_ROLE,
    learner_boundary,
    learner_policy,
    learner_trust_policy,
    region_scp,
)
from cmh.labs.domain.checks import SESSION_TAG
from cmh.labs.domain.template import BucketSpec, InstanceSpec, LabTemplate, NetworkSpec

# The AMI AWS publishes as a public SSM parameter (moto serves it too).
AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
_LIVE_STATES = ["pending", "running", "stopping", "stopped"]
# AWS refuses shorter credentials and, for an assumed role, longer than 12 hours.
_MIN_CREDENTIAL_SECONDS = 900


def _exists_already(error: ClientError, *codes: str) -> bool:
    return error.response["Error"]["Code"] in codes


def _by_session_tags(session_id: str, resource: str) -> list[dict[str, Any]]:
    return [
        {"Name": f"tag:{SESSION_TAG}", "Values": [session_id]},
        {"Name": f"tag:{RESOURCE_TAG}", "Values": [resource]},
    ]


class TemplateProvisioner:
    def __init__(self, vendor: OrganizationsAccountVendor, operator: AwsClients) -> None:
        self._vendor = vendor
        self._operator = operator

    def ensure_region_scp(self, account: LabAccount) -> None:
        organizations = self._operator.client("organizations")
        name = scp_name(account.session_id)
        policy_id = None
        paginator = organizations.get_paginator("list_policies")
        for page in paginator.paginate(Filter="SERVICE_CONTROL_POLICY"):
            for policy in page["Policies"]:
                if policy["Name"] == name:
                    policy_id = policy["Id"]
        if policy_id is None:
            policy_id = organizations.create_policy(
                Name=name,
                Description="The regions of the lab session's template",
                Type="SERVICE_CONTROL_POLICY",
                Content=json.dumps(region_scp(account.regions)),
                Tags=[{"Key": SESSION_TAG, "Value": account.session_id}],
            )["Policy"]["PolicySummary"]["Id"]
        try:
            organizations.attach_policy(PolicyId=policy_id, TargetId=account.account_id)
        except ClientError as error:
            if not _exists_already(error, "DuplicatePolicyAttachmentException"):
                raise

    def ensure_network(self, member: AwsClients, session_id: str, spec: NetworkSpec) -> str:
        ec2 = member.client("ec2")
        vpcs = ec2.describe_vpcs(Filters=_by_session_tags(session_id, "network"))["Vpcs"]
        if vpcs:
            vpc_id = str(vpcs[0]["VpcId"])
        else:
            vpc_id = ec2.create_vpc(
                CidrBlock=spec.cidr,
                TagSpecifications=[
                    {"ResourceType": "vpc", "Tags": session_tags(session_id, "network")}
                ],
            )["Vpc"]["VpcId"]
        subnets = ec2.describe_subnets(Filters=_by_session_tags(session_id, "subnet"))["Subnets"]
        if not subnets:
            ec2.create_subnet(
                VpcId=vpc_id,
                CidrBlock=spec.subnet_cidr,
                TagSpecifications=[
                    {"ResourceType": "subnet", "Tags": session_tags(session_id, "subnet")}
                ],
            )
        return vpc_id

    def _session_subnet(self, member: AwsClients, session_id: str) -> str | None:
        subnets = member.client("ec2").describe_subnets(
            Filters=_by_session_tags(session_id, "subnet")
        )["Subnets"]
        return str(subnets[0]["SubnetId"]) if subnets else None

    def ensure_bucket(
        self, member: AwsClients, session_id: str, spec: BucketSpec, index: int
    ) -> str:
        s3 = member.client("s3")
        name = bucket_name(spec.name_prefix, session_id, index)
        owned = {bucket["Name"] for bucket in s3.list_buckets()["Buckets"]}
        if name not in owned:
            options: dict[str, Any] = {}
            if member.region != "us-east-1":
                options["CreateBucketConfiguration"] = {"LocationConstraint": member.region}
            try:
                s3.create_bucket(Bucket=name, **options)
            except ClientError as error:
                if not _exists_already(error, "BucketAlreadyOwnedByYou"):
                    raise
        s3.put_bucket_tagging(
            Bucket=name, Tagging={"TagSet": session_tags(session_id, f"bucket-{index}")}
        )
        if spec.versioning:
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        return name

    def ensure_instance(
        self, member: AwsClients, session_id: str, spec: InstanceSpec, index: int
    ) -> str:
        ec2 = member.client("ec2")
        resource = f"instance-{index}"
        filters = [
            *_by_session_tags(session_id, resource),
            {"Name": "instance-state-name", "Values": _LIVE_STATES},
        ]
        found = [
            instance
            for reservation in ec2.describe_instances(Filters=filters)["Reservations"]
            for instance in reservation["Instances"]
        ]
        if found:
            instance_id = str(found[0]["InstanceId"])
        else:
            image = member.client("ssm").get_parameter(Name=AMI_PARAMETER)["Parameter"]["Value"]
            options: dict[str, Any] = {}
            subnet_id = self._session_subnet(member, session_id)
            if subnet_id is not None:
                options["SubnetId"] = subnet_id
            tags = [{"Key": key, "Value": value} for key, value in spec.tags]
            instance_id = ec2.run_instances(
                ImageId=image,
                InstanceType=spec.instance_type,
                MinCount=1,
                MaxCount=1,
                # The same token on a repeated call: AWS returns the first instance.
                ClientToken=f"{session_id}-{resource}"[:64],
                TagSpecifications=[
                    {
                        "ResourceType": "instance",
                        "Tags": tags + session_tags(session_id, resource),
                    }
                ],
                **options,
            )["Instances"][0]["InstanceId"]
        waiting = {"Delay": 2, "MaxAttempts": 90}
        if spec.running:
            ec2.start_instances(InstanceIds=[instance_id])
            ec2.get_waiter("instance_running").wait(InstanceIds=[instance_id], WaiterConfig=waiting)
        else:
            ec2.get_waiter("instance_exists").wait(InstanceIds=[instance_id])
            state = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0][
                "Instances"
            ][0]["State"]["Name"]
            if state == "pending":
                ec2.get_waiter("instance_running").wait(
                    InstanceIds=[instance_id], WaiterConfig=waiting
                )
            if state != "stopped":
                ec2.stop_instances(InstanceIds=[instance_id])
                ec2.get_waiter("instance_stopped").wait(
                    InstanceIds=[instance_id], WaiterConfig=waiting
                )
        return instance_id

    def ensure_learner_role(
        self, member: AwsClients, account: LabAccount, template: LabTemplate
    ) -> str:
        iam = member.client("iam")
        boundary_arn = f"arn:aws:iam::{account.account_id}:policy/{BOUNDARY_POLICY}"
        try:
            iam.create_policy(
                PolicyName=BOUNDARY_POLICY,
                PolicyDocument=json.dumps(learner_boundary(account.session_id, account.regions)),
                Tags=[{"Key": SESSION_TAG, "Value": account.session_id}],
            )
        except ClientError as error:
            if not _exists_already(error, "EntityAlreadyExists"):
                raise
        management = self._vendor.management_account_id()
        try:
            iam.create_role(
                RoleName=LEARNER_ROLE,
                AssumeRolePolicyDocument=json.dumps(learner_trust_policy(management)),
                MaxSessionDuration=12 * 3600,
                PermissionsBoundary=boundary_arn,
                Tags=[{"Key": SESSION_TAG, "Value": account.session_id}],
            )
        except ClientError as error:
            if not _exists_already(error, "EntityAlreadyExists"):
                raise
            iam.put_role_permissions_boundary(
                RoleName=LEARNER_ROLE, PermissionsBoundary=boundary_arn
            )
        iam.put_role_policy(
            RoleName=LEARNER_ROLE,
            PolicyName=ACCESS_POLICY,
            PolicyDocument=json.dumps(
                learner_policy(
                    account.account_id, template.allowed_services, template.allowed_regions
                )
            ),
        )
        return f"arn:aws:iam::{account.account_id}:role/{LEARNER_ROLE}"

    def learner_credentials(
        self, role_arn: str, session_id: str, seconds: int
    ) -> tuple[AwsCredentials, datetime]:
        seconds = max(_MIN_CREDENTIAL_SECONDS, min(seconds, 12 * 3600))
        credentials, expiration = assume(
            self._operator, role_arn, f"learner-{session_id}"[:64], seconds
        )
        return credentials, expiration

    def provision(
        self, session_id: str, template: LabTemplate, region: str
    ) -> tuple[LabAccount, str]:
        """Everything of the template in the session's account; the account and the
        learner role's ARN."""
        if region not in template.allowed_regions:
            raise ValueError(f"{region!r} is not one of the template's regions")
        account = self._vendor.ensure(session_id, template.allowed_regions)
        self.ensure_region_scp(account)
        member = self._vendor.member(account.account_id, region)
        for spec in template.resources:
            if isinstance(spec, NetworkSpec):
                self.ensure_network(member, session_id, spec)
        for index, spec in enumerate(template.resources):
            if isinstance(spec, BucketSpec):
                self.ensure_bucket(member, session_id, spec, index)
            elif isinstance(spec, InstanceSpec):
                self.ensure_instance(member, session_id, spec, index)
        return account, self.ensure_learner_role(member, account, template)
