"""The BACKWARD rule on schemas msgspec writes: each kind of breaking change is caught,
and the changes a reader survives pass."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
import pytest

from cmh.contracts.compatibility import (
    Breach,
    breaking_changes,
    describe,
    narrowed,
    newly_required,
    removed_fields,
)


def schema(*fields: tuple[Any, ...], name: str = "Event") -> dict[str, Any]:
    return msgspec.json.schema(msgspec.defstruct(name, list(fields), kw_only=True))


def rules(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str]]:
    return [(b.path, b.rule) for b in breaking_changes(old, new)]


BASE = schema(("user_id", str), ("tier", Literal["free", "pro"]), ("hours", int))


# ---- the pure rules, one by one


def test_removed_fields_are_those_the_new_object_lacks() -> None:
    old: dict[str, Any] = {"properties": {"a": {}, "b": {}, "c": {}}}
    assert removed_fields(old, {"properties": {"b": {}}}) == ["a", "c"]


def test_newly_required_fields_include_formerly_optional_ones() -> None:
    old = {"properties": {"a": {}, "b": {}}, "required": ["a"]}
    new = {"properties": {"a": {}, "b": {}, "c": {}}, "required": ["a", "b", "c"]}
    assert newly_required(old, new) == ["b", "c"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ({"type": "integer"}, {"type": "string"}),
        ({"type": "string"}, {"type": "string", "format": "date-time"}),
        ({"type": "string"}, {"type": "string", "maxLength": 10}),
        ({"type": "string", "maxLength": 20}, {"type": "string", "maxLength": 10}),
        ({"type": "integer", "minimum": 0}, {"type": "integer", "minimum": 1}),
        ({"type": "string"}, {"type": "string", "pattern": "^a"}),
        ({"enum": ["a", "b"]}, {"enum": ["a"]}),
        ({"type": "string"}, {"enum": ["a"]}),
        ({}, {"type": "string"}),
    ],
)
def test_narrowed_scalars_are_named(old: dict[str, Any], new: dict[str, Any]) -> None:
    assert narrowed(old, new)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ({"type": "integer"}, {"type": "integer"}),
        ({"type": "integer"}, {"type": "number"}),
        ({"type": "string", "maxLength": 10}, {"type": "string", "maxLength": 20}),
        ({"type": "string", "maxLength": 10}, {"type": "string"}),
        ({"enum": ["a"]}, {"enum": ["a", "b"]}),
        ({"enum": ["a"]}, {"type": "string"}),
        ({"type": "string"}, {}),
    ],
)
def test_widened_or_equal_scalars_are_fine(old: dict[str, Any], new: dict[str, Any]) -> None:
    assert narrowed(old, new) is None


def test_descriptions_read_like_types() -> None:
    assert describe({"anyOf": [{"type": "integer"}, {"type": "null"}]}) == "integer or null"
    assert describe({"type": "array", "items": {"$ref": "#/$defs/RenditionV1"}}) == (
        "array of RenditionV1"
    )


# ---- the check fails on purpose for each kind of breaking change


def test_a_removed_field_breaks() -> None:
    new = schema(("user_id", str), ("tier", Literal["free", "pro"]))
    assert rules(BASE, new) == [("hours", "removed")]


def test_a_retyped_field_breaks() -> None:
    new = schema(("user_id", str), ("tier", Literal["free", "pro"]), ("hours", str))
    [breach] = breaking_changes(BASE, new)
    assert (breach.path, breach.rule) == ("hours", "retyped")
    assert "was integer, now string" in str(breach)


def test_a_narrowed_enum_breaks() -> None:
    new = schema(("user_id", str), ("tier", Literal["pro"]), ("hours", int))
    [breach] = breaking_changes(BASE, new)
    assert (breach.path, breach.rule, breach.detail) == (
        "tier",
        "retyped",
        "no longer accepts 'free'",
    )


def test_a_tighter_constraint_breaks() -> None:
    old = schema(("reason", Annotated[str, msgspec.Meta(max_length=200)]))
    new = schema(("reason", Annotated[str, msgspec.Meta(max_length=100)]))
    assert rules(old, new) == [("reason", "retyped")]


def test_a_new_required_field_breaks() -> None:
    new = schema(
        ("user_id", str), ("tier", Literal["free", "pro"]), ("hours", int), ("locale", str)
    )
    assert rules(BASE, new) == [("locale", "required")]


def test_an_optional_field_made_required_breaks() -> None:
    old = schema(("user_id", str), ("locale", str, "en"))
    new = schema(("user_id", str), ("locale", str))
    assert rules(old, new) == [("locale", "required")]


def test_a_nullable_field_made_non_null_breaks() -> None:
    old = schema(("width", int | None, None))
    new = schema(("width", int, 0))
    assert rules(old, new) == [("width", "retyped")]


def test_breaches_inside_nested_structs_name_the_path() -> None:
    old_item = msgspec.defstruct("RenditionV1", [("name", str), ("width", int | None, None)])
    new_item = msgspec.defstruct("RenditionV1", [("name", str)])
    old = schema(("renditions", list[old_item]))  # type: ignore[valid-type]
    new = schema(("renditions", list[new_item]))  # type: ignore[valid-type]
    assert rules(old, new) == [("renditions[].width", "removed")]


def test_a_struct_replaced_by_a_scalar_breaks() -> None:
    item = msgspec.defstruct("Rendition", [("name", str)])
    old = schema(("rendition", item))
    new = schema(("rendition", str))
    assert rules(old, new) == [("rendition", "retyped")]


def test_breaches_print_their_path_rule_and_reason() -> None:
    assert str(Breach("a.b", "removed", "the field is gone")) == "a.b: removed (the field is gone)"


# ---- and what a reader survives passes


def test_a_new_optional_field_is_fine() -> None:
    new = schema(
        ("user_id", str),
        ("tier", Literal["free", "pro"]),
        ("hours", int),
        ("locale", str | None, None),
    )
    assert breaking_changes(BASE, new) == []


def test_widening_is_fine() -> None:
    new = schema(("user_id", str), ("tier", Literal["free", "pro", "team"]), ("hours", int | None))
    assert breaking_changes(BASE, new) == []


def test_a_required_field_made_optional_is_fine() -> None:
    new = schema(("user_id", str), ("tier", Literal["free", "pro"]), ("hours", int, 0))
    assert breaking_changes(BASE, new) == []


def test_an_unchanged_schema_with_new_words_is_fine() -> None:
    documented = msgspec.defstruct(
        "Event",
        [("user_id", str), ("tier", Literal["free", "pro"]), ("hours", int)],
        kw_only=True,
    )
    documented.__doc__ = "Now with a description."
    assert breaking_changes(BASE, msgspec.json.schema(documented)) == []
