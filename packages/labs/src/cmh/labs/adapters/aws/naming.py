"""The names and tags that let every step find again what an earlier attempt created."""

from __future__ import annotations

import hashlib

from cmh.labs.domain.checks import SESSION_TAG

# Which of the template's resources a cloud resource is ("network", "bucket-0", ...).
RESOURCE_TAG = "cmh:resource"
BOUNDARY_POLICY = "cmh-lab-boundary"
ACCESS_POLICY = "cmh-lab-access"


def session_tags(session_id: str, resource: str) -> list[dict[str, str]]:
    return [
        {"Key": SESSION_TAG, "Value": session_id},
        {"Key": RESOURCE_TAG, "Value": resource},
        {"Key": "Name", "Value": f"cmh-lab-{resource}"},
    ]


def bucket_name(name_prefix: str, session_id: str, index: int) -> str:
    """The prefix, then 16 hex digits of the session and the spec's index: unique across
    sessions (bucket names are global) and the same on every attempt."""
    digest = hashlib.sha256(session_id.encode()).hexdigest()[:16]
    return f"{name_prefix}{digest}-{index}"


def scp_name(session_id: str) -> str:
    return f"cmh-lab-{session_id}-regions"
