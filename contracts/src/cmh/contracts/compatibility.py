"""Is a new JSON Schema of a contract backward compatible with its snapshot?

The rule is a schema registry's BACKWARD rule, made strict about removals: whatever the
old schema accepted, the new one must accept, and what a reader relied on must still be
there. So these break a contract:

- ``removed``: a field the old schema had is gone;
- ``retyped``: a field's schema no longer accepts every value the old one did (another
  type, a narrower union or enum, a tighter length, range or pattern, another format);
- ``required``: a field is required now that was not (new, or optional before).

A new optional field, a wider type (``int`` to ``int | None``, a new enum value) and a
new contract are fine. Pure functions over the schemas ``msgspec.json.schema`` writes
(``$ref`` into ``$defs``, ``anyOf`` for unions, ``enum`` for literals).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

Schema = dict[str, Any]

# Constraint keywords: the lower bounds must not rise, the upper bounds must not fall.
_LOWER_BOUNDS = ("minLength", "minItems", "minProperties", "minimum", "exclusiveMinimum")
_UPPER_BOUNDS = ("maxLength", "maxItems", "maxProperties", "maximum", "exclusiveMaximum")


@dataclass(frozen=True, slots=True)
class Breach:
    path: str  # the field, dotted; ``[]`` for list items, ``{}`` for map values
    rule: str  # removed | retyped | required
    detail: str

    def __str__(self) -> str:
        return f"{self.path or '(root)'}: {self.rule} ({self.detail})"


def breaking_changes(old: Schema, new: Schema) -> list[Breach]:
    """Every way ``new`` breaks what ``old`` promised; empty when compatible."""
    return _Comparison(old, new).value(old, new, "")


def removed_fields(old: Schema, new: Schema) -> list[str]:
    """Fields of the old object schema the new one no longer has."""
    kept = new.get("properties", {})
    return sorted(name for name in old.get("properties", {}) if name not in kept)


def newly_required(old: Schema, new: Schema) -> list[str]:
    """Fields the new object schema requires that the old one did not."""
    return sorted(set(new.get("required", ())) - set(old.get("required", ())))


def narrowed(old: Schema, new: Schema) -> str | None:
    """Why the new scalar schema accepts less than the old (``None`` if it does not).
    Both are one alternative each (no ``anyOf``) and not objects."""
    if not new:
        return None  # accepts anything
    old_kind, new_kind = _kind(old), _kind(new)
    if old_kind == "enum":
        return _narrowed_enum(old, new)
    if new_kind == "enum" or not _kind_widens(old_kind, new_kind):
        return f"was {describe(old)}, now {describe(new)}"
    if new.get("format") not in (None, old.get("format")):
        return f"format {old.get('format')!r} became {new['format']!r}"
    if new.get("pattern") not in (None, old.get("pattern")):
        return f"pattern {old.get('pattern')!r} became {new['pattern']!r}"
    for key in _LOWER_BOUNDS:
        if new.get(key, -math.inf) > old.get(key, -math.inf):
            return f"{key} rose from {old.get(key)} to {new[key]}"
    for key in _UPPER_BOUNDS:
        if new.get(key, math.inf) < old.get(key, math.inf):
            return f"{key} fell from {old.get(key)} to {new[key]}"
    return None


def describe(schema: Schema) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(describe(s) for s in schema["anyOf"])
    if "enum" in schema:
        return "one of " + ", ".join(repr(v) for v in schema["enum"])
    if "const" in schema:
        return repr(schema["const"])
    kind = schema.get("type")
    if kind == "array":
        return f"array of {describe(schema.get('items', {}))}"
    if kind is None:
        return "anything"
    return f"{kind} ({schema['format']})" if "format" in schema else str(kind)


def _kind(schema: Schema) -> str:
    if "enum" in schema or "const" in schema:
        return "enum"
    kind = schema.get("type")
    return kind if isinstance(kind, str) else "any"


def _kind_widens(old: str, new: str) -> bool:
    return old == new or new == "any" or (old, new) == ("integer", "number")


def _narrowed_enum(old: Schema, new: Schema) -> str | None:
    values = old["enum"] if "enum" in old else [old["const"]]
    if _kind(new) != "enum":
        # A plain type takes the old values if each has that type (and no constraint
        # of the new schema refuses it: enums of this codebase are unconstrained names).
        types = {str: "string", bool: "boolean", int: "integer", float: "number"}
        if all(types.get(type(v)) == new.get("type") for v in values) and not any(
            key in new for key in ("pattern", *_LOWER_BOUNDS, *_UPPER_BOUNDS)
        ):
            return None
        return f"was {describe(old)}, now {describe(new)}"
    kept = new["enum"] if "enum" in new else [new["const"]]
    lost = [v for v in values if v not in kept]
    return f"no longer accepts {', '.join(repr(v) for v in lost)}" if lost else None


class _Comparison:
    """Walks two schemas side by side, following each one's own ``$defs``."""

    def __init__(self, old_root: Schema, new_root: Schema) -> None:
        self._old_defs: dict[str, Schema] = old_root.get("$defs", {})
        self._new_defs: dict[str, Schema] = new_root.get("$defs", {})
        self._seen: set[tuple[str, str]] = set()

    def value(self, old: Schema, new: Schema, path: str) -> list[Breach]:
        old, new = self._deref(old, self._old_defs), self._deref(new, self._new_defs)
        breaches: list[Breach] = []
        for alternative in _alternatives(old):
            breaches += self._covered(alternative, _alternatives(new), path)
        return breaches

    def _covered(self, old: Schema, candidates: list[Schema], path: str) -> list[Breach]:
        """An old alternative is kept when some new one accepts it: the first without a
        breach wins; else the breaches against the closest (same kind) are reported."""
        old = self._deref(old, self._old_defs)
        closest: list[Breach] | None = None
        for candidate in candidates:
            candidate = self._deref(candidate, self._new_defs)
            if _kind(old) == "object" and _kind(candidate) == "object":
                breaches = self._object(old, candidate, path)
            elif _kind(old) == "array" and _kind(candidate) == "array":
                breaches = self.value(old.get("items", {}), candidate.get("items", {}), f"{path}[]")
            else:
                reason = narrowed(old, candidate)
                breaches = [Breach(path, "retyped", reason)] if reason else []
            if not breaches:
                return []
            if closest is None or _kind(old) == _kind(candidate):
                closest = breaches
        if closest is None:  # no alternative at all: cannot happen with msgspec schemas
            closest = [Breach(path, "retyped", f"was {describe(old)}, now nothing")]
        if len(candidates) > 1 and all(b.rule == "retyped" and b.path == path for b in closest):
            return [Breach(path, "retyped", f"{describe(old)} is no longer accepted")]
        return closest

    def _object(self, old: Schema, new: Schema, path: str) -> list[Breach]:
        key = (str(old.get("title", id(old))), str(new.get("title", id(new))))
        if key in self._seen:  # a recursive type, already being compared further up
            return []
        self._seen.add(key)
        try:
            return self._fields(old, new, path)
        finally:
            self._seen.discard(key)

    def _fields(self, old: Schema, new: Schema, path: str) -> list[Breach]:
        prefix = f"{path}." if path else ""
        breaches = [
            Breach(f"{prefix}{name}", "removed", "the field is gone")
            for name in removed_fields(old, new)
        ]
        breaches += [
            Breach(f"{prefix}{name}", "required", "a reader of old data does not get it")
            for name in newly_required(old, new)
        ]
        old_fields, new_fields = old.get("properties", {}), new.get("properties", {})
        for name in sorted(old_fields.keys() & new_fields.keys()):
            breaches += self.value(old_fields[name], new_fields[name], f"{prefix}{name}")
        old_values, new_values = old.get("additionalProperties"), new.get("additionalProperties")
        if isinstance(old_values, dict) and isinstance(new_values, dict):
            breaches += self.value(old_values, new_values, f"{prefix}{{}}")
        return breaches

    @staticmethod
    def _deref(schema: Schema, defs: dict[str, Schema]) -> Schema:
        while "$ref" in schema:
            schema = defs[str(schema["$ref"]).rsplit("/", 1)[-1]]
        return schema


def _alternatives(schema: Schema) -> list[Schema]:
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return [alt for member in schema[key] for alt in _alternatives(member)]
    return [schema]
