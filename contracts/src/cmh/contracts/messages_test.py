from __future__ import annotations

import msgspec

from cmh.contracts.events.content import AssetReadyV1
from cmh.contracts.events.users import UserErasureRequestedV1, UserTierChangedV1
from cmh.contracts.messages import inline_refs, message_schema


def test_one_alternative_per_event_naming_its_type_and_carrying_its_data() -> None:
    schema = message_schema([UserErasureRequestedV1, UserTierChangedV1])
    alternatives = {a["properties"]["type"]["const"]: a for a in schema["oneOf"]}
    assert set(alternatives) == {"user.erasure_requested", "user.tier_changed"}
    data = alternatives["user.tier_changed"]["properties"]["data"]
    assert data["title"] == "UserTierChangedV1"
    assert set(data["required"]) == {"user_id", "previous_tier", "tier"}
    assert {"id", "source", "subject", "time", "data"} <= set(schema["oneOf"][0]["required"])


def test_nested_structs_are_inlined_so_the_schema_stands_alone() -> None:
    schema = message_schema([AssetReadyV1])
    assert "$ref" not in msgspec.json.encode(schema).decode()
    renditions = schema["properties"]["data"]["properties"]["renditions"]
    assert renditions["items"]["title"] == "RenditionV1"


def test_a_consumer_of_every_event_gets_the_bare_envelope() -> None:
    schema = message_schema([])
    assert schema["title"] == "Envelope"
    assert schema["properties"]["data"] == {}


def test_inlining_replaces_references_by_their_definition() -> None:
    defs = {
        "A": {"type": "object", "properties": {"b": {"$ref": "#/$defs/B"}}},
        "B": {"type": "integer"},
    }
    assert inline_refs({"$ref": "#/$defs/A"}, defs) == {
        "type": "object",
        "properties": {"b": {"type": "integer"}},
    }
