"""A small evaluator of IAM policy documents: the part of AWS's logic the lab policies use.

moto checks actions only; this evaluates what the lab policies also rely on, so that their
region and tag rules can be proven by tests: Allow and Deny statements (an explicit deny
wins, nothing allowed means denied), ``Action``/``NotAction`` and ``Resource`` with ``*``
and ``?`` wildcards (actions case-insensitively), and the condition operators
``StringEquals``, ``StringNotEquals`` and ``StringLike`` over the request's context keys
(``aws:RequestedRegion``, ``aws:ResourceTag/<key>``, ``aws:RequestTag/<key>``).

As in AWS: a condition key missing from the request makes ``StringEquals`` and
``StringLike`` false and ``StringNotEquals`` true; a list of values means any of them;
every operator and key of a ``Condition`` block must hold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Decision(StrEnum):
    ALLOW = "allow"
    EXPLICIT_DENY = "explicit_deny"
    IMPLICIT_DENY = "implicit_deny"


@dataclass(frozen=True)
class Request:
    action: str
    resource: str = "*"
    context: Mapping[str, str] = field(default_factory=dict)


def _as_list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _wildcard(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    # IAM wildcards are * and ? only ([...] is literal, unlike fnmatch).
    regex = "".join(
        ".*" if char == "*" else "." if char == "?" else re.escape(char) for char in pattern
    )
    flags = re.IGNORECASE if ignore_case else 0
    return re.fullmatch(regex, value, flags) is not None


def _context_value(context: Mapping[str, str], key: str) -> str | None:
    # Condition key names are case-insensitive; tag values are not.
    for name, value in context.items():
        if name.lower() == key.lower():
            return value
    return None


def _condition_holds(operator: str, key: str, expected: list[str], actual: str | None) -> bool:
    if operator == "StringEquals":
        return actual is not None and actual in expected
    if operator == "StringNotEquals":
        return actual is None or actual not in expected
    if operator == "StringLike":
        return actual is not None and any(_wildcard(pattern, actual) for pattern in expected)
    raise ValueError(f"condition operator {operator!r} is not supported by this evaluator")


def _conditions_hold(conditions: Mapping[str, Mapping[str, Any]], request: Request) -> bool:
    return all(
        _condition_holds(operator, key, _as_list(values), _context_value(request.context, key))
        for operator, pairs in conditions.items()
        for key, values in pairs.items()
    )


def _action_matches(statement: Mapping[str, Any], action: str) -> bool:
    if "NotAction" in statement:
        return not any(
            _wildcard(pattern, action, ignore_case=True)
            for pattern in _as_list(statement["NotAction"])
        )
    return any(
        _wildcard(pattern, action, ignore_case=True)
        for pattern in _as_list(statement.get("Action", []))
    )


def _applies(statement: Mapping[str, Any], request: Request) -> bool:
    return (
        _action_matches(statement, request.action)
        and any(
            _wildcard(pattern, request.resource)
            for pattern in _as_list(statement.get("Resource", "*"))
        )
        and _conditions_hold(statement.get("Condition", {}), request)
    )


def evaluate(documents: Iterable[Mapping[str, Any]], request: Request) -> Decision:
    """The decision of the policies in ``documents`` taken together for ``request``."""
    allowed = False
    for document in documents:
        for statement in document["Statement"]:
            if not _applies(statement, request):
                continue
            if statement["Effect"] == "Deny":
                return Decision.EXPLICIT_DENY
            allowed = True
    return Decision.ALLOW if allowed else Decision.IMPLICIT_DENY


def allowed(
    identity: Mapping[str, Any],
    boundary: Mapping[str, Any],
    scps: Iterable[Mapping[str, Any]],
    request: Request,
) -> bool:
    """What AWS decides for a role with a permissions boundary in an account under SCPs:
    each of the three must allow (an SCP or a boundary grants nothing by itself), and an
    explicit deny in any of them wins."""
    return all(
        evaluate(documents, request) is Decision.ALLOW
        for documents in ([identity], [boundary], list(scps))
    )
