"""The learner's fence, proven by evaluating the generated documents the way AWS does
(moto checks only the actions of the role's policy)."""

import pytest

from cmh.labs.adapters.aws.policy import (
    FULL_AWS_ACCESS,
    learner_boundary,
    learner_policy,
    region_scp,
)
from cmh.labs.adapters.aws.policy_evaluator import Decision, Request, allowed, evaluate

SESSION = "s-1"
ACCOUNT = "111122223333"
REGIONS = ("eu-west-1", "eu-central-1")


def _learner_may(action: str, region: str, **tags: str) -> bool:
    context = {"aws:RequestedRegion": region} | tags
    return allowed(
        learner_policy(ACCOUNT, ("s3", "ec2"), REGIONS),
        learner_boundary(SESSION, REGIONS),
        [FULL_AWS_ACCESS, region_scp(REGIONS)],
        Request(action, context=context),
    )


@pytest.mark.parametrize("region", REGIONS)
def test_the_templates_services_are_allowed_in_its_regions(region: str) -> None:
    assert _learner_may("s3:CreateBucket", region)
    assert _learner_may("ec2:RunInstances", region)


def test_other_regions_are_refused() -> None:
    assert not _learner_may("s3:CreateBucket", "us-east-1")
    assert not _learner_may("ec2:RunInstances", "ap-southeast-2")


def test_a_service_outside_the_template_is_refused_everywhere() -> None:
    assert not _learner_may("dynamodb:CreateTable", "eu-west-1")
    assert not _learner_may("lambda:CreateFunction", "eu-west-1")


def test_resources_of_the_session_and_untagged_ones_are_reachable() -> None:
    assert _learner_may(
        "ec2:StopInstances", "eu-west-1", **{"aws:ResourceTag/cmh:session": SESSION}
    )
    assert _learner_may("s3:PutBucketVersioning", "eu-west-1")


def test_resources_tagged_for_another_session_are_refused() -> None:
    other = {"aws:ResourceTag/cmh:session": "s-2"}
    assert not _learner_may("ec2:StopInstances", "eu-west-1", **other)
    assert not _learner_may("s3:PutBucketVersioning", "eu-central-1", **other)


def test_creating_with_the_tag_of_another_session_is_refused() -> None:
    assert _learner_may("ec2:RunInstances", "eu-west-1", **{"aws:RequestTag/cmh:session": SESSION})
    assert not _learner_may(
        "ec2:RunInstances", "eu-west-1", **{"aws:RequestTag/cmh:session": "s-2"}
    )


def test_the_platform_roles_and_the_organization_are_out_of_reach() -> None:
    policy = learner_policy(ACCOUNT, ("s3", "iam"), REGIONS)
    for role in ("cmh-learner", "OrganizationAccountAccessRole"):
        request = Request(
            "iam:PutRolePolicy",
            f"arn:aws:iam::{ACCOUNT}:role/{role}",
            {"aws:RequestedRegion": "us-east-1"},
        )
        assert evaluate([policy], request) is Decision.EXPLICIT_DENY
    # A template that allows IAM lets the learner make roles of their own.
    own = Request(
        "iam:CreateRole", f"arn:aws:iam::{ACCOUNT}:role/web", {"aws:RequestedRegion": "us-east-1"}
    )
    assert evaluate([policy], own) is Decision.ALLOW
    leave = Request("organizations:LeaveOrganization", context={"aws:RequestedRegion": "us-east-1"})
    assert evaluate([policy], leave) is Decision.EXPLICIT_DENY


def test_global_services_are_not_caught_by_the_region_rules() -> None:
    policy = learner_policy(ACCOUNT, ("s3", "iam"), REGIONS)
    request = Request(
        "iam:CreateRole", f"arn:aws:iam::{ACCOUNT}:role/web", {"aws:RequestedRegion": "us-east-1"}
    )
    assert allowed(
        policy, learner_boundary(SESSION, REGIONS), [FULL_AWS_ACCESS, region_scp(REGIONS)], request
    )


def test_the_scp_keeps_every_principal_of_the_account_in_the_lab_regions() -> None:
    administrator = {"Version": "2012-10-17", "Statement": [FULL_AWS_ACCESS["Statement"][0]]}
    everything = FULL_AWS_ACCESS
    scps = [FULL_AWS_ACCESS, region_scp(REGIONS)]
    in_region = Request("ec2:RunInstances", context={"aws:RequestedRegion": "eu-west-1"})
    elsewhere = Request("ec2:RunInstances", context={"aws:RequestedRegion": "us-west-2"})
    assert allowed(administrator, everything, scps, in_region)
    assert not allowed(administrator, everything, scps, elsewhere)
    assert allowed(
        administrator,
        everything,
        scps,
        Request("sts:AssumeRole", context={"aws:RequestedRegion": "us-east-1"}),
    )


def test_whoami_is_always_allowed() -> None:
    assert _learner_may("sts:GetCallerIdentity", "us-east-1")
