from typing import Any

import pytest

from cmh.labs.adapters.aws.policy_evaluator import Decision, Request, allowed, evaluate


def _doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


ALLOW_S3 = {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}


def test_nothing_allowed_is_an_implicit_deny() -> None:
    assert evaluate([_doc()], Request("s3:ListBuckets")) is Decision.IMPLICIT_DENY
    assert evaluate([_doc(ALLOW_S3)], Request("ec2:RunInstances")) is Decision.IMPLICIT_DENY


def test_an_explicit_deny_wins_over_any_allow() -> None:
    deny = {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}
    assert evaluate([_doc(ALLOW_S3), _doc(deny)], Request("s3:DeleteBucket")) is (
        Decision.EXPLICIT_DENY
    )
    assert evaluate([_doc(ALLOW_S3, deny)], Request("s3:PutObject")) is Decision.ALLOW


def test_action_wildcards_ignore_case_and_resource_wildcards_do_not() -> None:
    statement = {
        "Effect": "Allow",
        "Action": ["ec2:Describe*", "s3:Get?ucketVersioning"],
        "Resource": "arn:aws:s3:::logs-*",
    }
    assert (
        evaluate([_doc(statement)], Request("ec2:describeinstances", "arn:aws:s3:::logs-1"))
        is Decision.ALLOW
    )
    assert (
        evaluate([_doc(statement)], Request("s3:GetBucketVersioning", "arn:aws:s3:::logs-a"))
        is Decision.ALLOW
    )
    assert (
        evaluate([_doc(statement)], Request("s3:GetBucketVersioning", "arn:aws:s3:::LOGS-a"))
        is Decision.IMPLICIT_DENY
    )
    assert (
        evaluate([_doc(statement)], Request("ec2:RunInstances", "arn:aws:s3:::logs-a"))
        is Decision.IMPLICIT_DENY
    )


def test_brackets_are_literal_characters_not_a_class() -> None:
    statement = {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::[ab]"}
    assert evaluate([_doc(statement)], Request("s3:GetObject", "arn:aws:s3:::a")) is (
        Decision.IMPLICIT_DENY
    )
    assert evaluate([_doc(statement)], Request("s3:GetObject", "arn:aws:s3:::[ab]")) is (
        Decision.ALLOW
    )


def test_not_action_covers_every_other_action() -> None:
    statement = {"Effect": "Deny", "NotAction": ["iam:*"], "Resource": "*"}
    assert evaluate([_doc(ALLOW_S3, statement)], Request("s3:ListBuckets")) is (
        Decision.EXPLICIT_DENY
    )
    assert evaluate([_doc(statement)], Request("iam:ListRoles")) is Decision.IMPLICIT_DENY


@pytest.mark.parametrize(
    ("operator", "expected", "actual", "holds"),
    [
        ("StringEquals", ["eu-west-1", "us-east-1"], "us-east-1", True),
        ("StringEquals", ["eu-west-1"], "us-east-1", False),
        ("StringEquals", "eu-west-1", None, False),
        ("StringNotEquals", ["eu-west-1"], "us-east-1", True),
        ("StringNotEquals", ["eu-west-1"], "eu-west-1", False),
        # A negated operator holds when the key is missing from the request (as in AWS).
        ("StringNotEquals", ["eu-west-1"], None, True),
        ("StringLike", ["eu-*"], "eu-central-1", True),
        ("StringLike", ["eu-*"], "us-east-1", False),
        ("StringLike", "*", None, False),
    ],
)
def test_condition_operators(
    operator: str, expected: object, actual: str | None, holds: bool
) -> None:
    statement = {
        "Effect": "Allow",
        "Action": "*",
        "Resource": "*",
        "Condition": {operator: {"aws:RequestedRegion": expected}},
    }
    context = {} if actual is None else {"aws:RequestedRegion": actual}
    decision = evaluate([_doc(statement)], Request("s3:ListBuckets", context=context))
    assert (decision is Decision.ALLOW) is holds


def test_every_operator_and_key_of_a_condition_must_hold() -> None:
    statement = {
        "Effect": "Allow",
        "Action": "*",
        "Resource": "*",
        "Condition": {
            "StringEquals": {"aws:RequestedRegion": "eu-west-1"},
            "StringLike": {"aws:ResourceTag/team": "blue-*"},
        },
    }
    both = {"aws:RequestedRegion": "eu-west-1", "aws:ResourceTag/team": "blue-1"}
    one = {"aws:RequestedRegion": "eu-west-1", "aws:ResourceTag/team": "red"}
    assert evaluate([_doc(statement)], Request("s3:GetObject", context=both)) is Decision.ALLOW
    assert evaluate([_doc(statement)], Request("s3:GetObject", context=one)) is (
        Decision.IMPLICIT_DENY
    )


def test_condition_key_names_ignore_case_and_tag_values_do_not() -> None:
    statement = {
        "Effect": "Allow",
        "Action": "*",
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:resourcetag/Team": "Blue"}},
    }
    assert (
        evaluate(
            [_doc(statement)], Request("s3:GetObject", context={"aws:ResourceTag/Team": "Blue"})
        )
        is Decision.ALLOW
    )
    assert (
        evaluate(
            [_doc(statement)], Request("s3:GetObject", context={"aws:ResourceTag/Team": "blue"})
        )
        is Decision.IMPLICIT_DENY
    )


def test_an_unknown_operator_is_refused_rather_than_guessed() -> None:
    statement = {
        "Effect": "Allow",
        "Action": "*",
        "Resource": "*",
        "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
    }
    with pytest.raises(ValueError, match="IpAddress"):
        evaluate([_doc(statement)], Request("s3:GetObject"))


def test_a_boundary_and_an_scp_only_narrow() -> None:
    everything = _doc({"Effect": "Allow", "Action": "*", "Resource": "*"})
    request = Request("s3:ListBuckets")
    assert allowed(_doc(ALLOW_S3), everything, [everything], request)
    # Neither a boundary nor an SCP grants what the identity policy does not.
    assert not allowed(_doc(), everything, [everything], request)
    assert not allowed(_doc(ALLOW_S3), _doc(), [everything], request)
    assert not allowed(_doc(ALLOW_S3), everything, [_doc()], request)
