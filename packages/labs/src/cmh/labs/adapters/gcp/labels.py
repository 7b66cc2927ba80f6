"""The platform's tags as GCP labels.

Label keys and values hold only lowercase letters, digits, ``_`` and ``-`` (at most 63
characters), so ``cmh:session`` is the label ``cmh-session``, and a session id that is not
a valid value is stored as ``x`` and its hex.
"""

from __future__ import annotations

import re

from cmh.labs.domain.checks import SESSION_TAG

SESSION_LABEL = "cmh-session"
RESOURCE_LABEL = "cmh-resource"
_VALUE = re.compile(r"^[a-z0-9_-]{0,63}$")
_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
_ENCODED = re.compile(r"^x(?:[0-9a-f]{2})+$")
_TAG_OF_LABEL = {SESSION_LABEL: SESSION_TAG, RESOURCE_LABEL: "cmh:resource"}


def label_value(value: str) -> str:
    if _VALUE.match(value) and not _ENCODED.match(value):
        return value
    encoded = "x" + value.encode().hex()
    if len(encoded) > 63:
        raise ValueError(f"{value!r} is too long for a GCP label")
    return encoded


def value_of_label(value: str) -> str:
    return bytes.fromhex(value[1:]).decode() if _ENCODED.match(value) else value


def is_valid_label(key: str, value: str) -> bool:
    return bool(_KEY.match(key) and _VALUE.match(value))


def tags_of_labels(labels: dict[str, str]) -> dict[str, str]:
    """Labels as the provider-neutral tags a check reads."""
    return {_TAG_OF_LABEL.get(key, key): value_of_label(value) for key, value in labels.items()}
