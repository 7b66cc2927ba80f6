"""The IAM documents that fence a learner in.

Three documents, each evaluated by AWS on every request of the learner:

- the learner role's policy: the template's services, in the template's regions (an
  Allow with an ``aws:RequestedRegion`` condition), and never the platform's roles or the
  organization (unconditional denies);
- the role's permissions boundary: the same region fence as a deny, and no resource
  tagged (``aws:ResourceTag``) or created with a tag (``aws:RequestTag``) for another
  session;
- the account's service control policy (SCP): the region allowlist for every principal
  of the account, the platform's own roles included.

moto checks only the role's policy, and takes every condition as met; the conditional
denies therefore live in the boundary and the SCP, which moto ignores, and
``policy_evaluator`` proves them. Global services (IAM, STS, Organizations, ...) answer
from us-east-1 whatever the lab's region, so the region rules leave them out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cmh.labs.domain.checks import SESSION_TAG

LEARNER_ROLE = "cmh-learner"
ORGANIZATION_ROLE = "OrganizationAccountAccessRole"
GLOBAL_SERVICES = (
    "iam",
    "sts",
    "organizations",
    "account",
    "support",
    "budgets",
    "ce",
    "cloudfront",
    "route53",
)
GLOBAL_SERVICE_ACTIONS = [f"{service}:*" for service in GLOBAL_SERVICES]

# The SCP every account has unless removed; the region SCP only narrows what it allows.
FULL_AWS_ACCESS: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}


def _regions(allowed_regions: Iterable[str]) -> list[str]:
    return sorted(set(allowed_regions))


def _outside_regions(allowed_regions: Iterable[str]) -> dict[str, Any]:
    return {
        "Effect": "Deny",
        "NotAction": GLOBAL_SERVICE_ACTIONS,
        "Resource": "*",
        "Condition": {"StringNotEquals": {"aws:RequestedRegion": _regions(allowed_regions)}},
    }


def _tagged_for_another_session(key: str, session_id: str) -> dict[str, Any]:
    # The tag is there (StringLike "*") and names another session. What the learner
    # creates untagged is not refused: it is theirs, in their own account.
    return {"StringLike": {key: "*"}, "StringNotEquals": {key: session_id}}


def learner_policy(
    account_id: str,
    allowed_services: Iterable[str],
    allowed_regions: Iterable[str],
) -> dict[str, Any]:
    services = sorted(set(allowed_services))
    regional = [f"{service}:*" for service in services if service not in GLOBAL_SERVICES]
    global_ = [f"{service}:*" for service in services if service in GLOBAL_SERVICES]
    statements: list[dict[str, Any]] = []
    if regional:
        statements.append(
            {
                "Sid": "TemplateServicesInTemplateRegions",
                "Effect": "Allow",
                "Action": regional,
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:RequestedRegion": _regions(allowed_regions)}},
            }
        )
    statements += [
        {
            "Sid": "GlobalTemplateServicesAndWhoAmI",
            "Effect": "Allow",
            "Action": [*global_, "sts:GetCallerIdentity"],
            "Resource": "*",
        },
        {
            "Sid": "PlatformRolesUntouched",
            "Effect": "Deny",
            "Action": ["iam:*", "sts:AssumeRole"],
            "Resource": [
                f"arn:aws:iam::{account_id}:role/{LEARNER_ROLE}",
                f"arn:aws:iam::{account_id}:role/{ORGANIZATION_ROLE}",
            ],
        },
        {
            "Sid": "OrganizationUntouched",
            "Effect": "Deny",
            "Action": ["organizations:*", "account:*"],
            "Resource": "*",
        },
    ]
    return {"Version": "2012-10-17", "Statement": statements}


def learner_boundary(session_id: str, allowed_regions: Iterable[str]) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "UpToTheRolePolicy", "Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Sid": "OnlyTheLabRegions", **_outside_regions(allowed_regions)},
            {
                "Sid": "NoResourceOfAnotherSession",
                "Effect": "Deny",
                "Action": "*",
                "Resource": "*",
                "Condition": _tagged_for_another_session(
                    f"aws:ResourceTag/{SESSION_TAG}", session_id
                ),
            },
            {
                "Sid": "NoResourceTaggedForAnotherSession",
                "Effect": "Deny",
                "Action": "*",
                "Resource": "*",
                "Condition": _tagged_for_another_session(
                    f"aws:RequestTag/{SESSION_TAG}", session_id
                ),
            },
        ],
    }


def learner_trust_policy(management_account_id: str) -> dict[str, Any]:
    """Only the management account (the platform's operator) assumes the learner role:
    the learner receives credentials, never the right to mint them."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{management_account_id}:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }


def region_scp(allowed_regions: Iterable[str]) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "OnlyTheLabRegions", **_outside_regions(allowed_regions)},
            {
                "Sid": "StayInTheOrganization",
                "Effect": "Deny",
                "Action": "organizations:LeaveOrganization",
                "Resource": "*",
            },
        ],
    }
