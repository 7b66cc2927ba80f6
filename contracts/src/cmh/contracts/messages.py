"""The JSON Schema of a message on the bus: the envelope carrying one of some events.

A consumer's AsyncAPI entry shows it (see ``cmh.kernel.messaging.typed``): one
alternative per event, whose ``type`` names the event and whose ``data`` is that event's
own schema, all taken from the contracts' Structs.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

import msgspec

from cmh.contracts.events.base import Envelope, IntegrationEvent


def message_schema(events: Sequence[type[IntegrationEvent]]) -> dict[str, Any]:
    """Any envelope when ``events`` is empty (a consumer of every event on its topic).
    Self-contained, without ``$ref``: AsyncAPI tools (and pydantic, which FastStream
    builds the document with) resolve references against their own definitions."""
    _, defs = msgspec.json.schema_components([Envelope, *events])
    envelope: dict[str, Any] = inline_refs(defs[Envelope.__name__], defs)
    alternatives = []
    for event in events:
        alternative = copy.deepcopy(envelope)
        alternative["title"] = f"{event.TYPE} v{event.VERSION}"
        alternative["properties"]["type"] = {"const": event.TYPE}
        alternative["properties"]["dataschema_version"] = {"const": event.VERSION}
        alternative["properties"]["data"] = inline_refs(defs[event.__name__], defs)
        alternatives.append(alternative)
    if not alternatives:
        return envelope
    return alternatives[0] if len(alternatives) == 1 else {"oneOf": alternatives}


def inline_refs(schema: Any, defs: dict[str, Any]) -> Any:
    """``schema`` with every ``{"$ref": "#/$defs/Name"}`` replaced by that definition
    (contracts are not recursive)."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            return inline_refs(defs[str(schema["$ref"]).rsplit("/", 1)[-1]], defs)
        return {key: inline_refs(value, defs) for key, value in schema.items()}
    if isinstance(schema, list):
        return [inline_refs(item, defs) for item in schema]
    return schema
