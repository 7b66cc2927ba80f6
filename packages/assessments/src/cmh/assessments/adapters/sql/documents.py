"""Aggregates as JSON documents (msgspec converts the domain dataclasses both ways); the
recorded events stay out of the document, and so does an aggregate's row version (a
question's version is part of the question and stays in)."""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

T = TypeVar("T")


def document(aggregate: Any, *, row_version: bool = True) -> dict[str, Any]:
    built: dict[str, Any] = msgspec.to_builtins(aggregate)
    built.pop("events", None)
    if row_version:
        built.pop("version", None)
    return built


def from_document(kind: type[T], stored: dict[str, Any], version: int | None = None) -> T:
    found = msgspec.convert(stored, kind)
    if version is not None:
        found.version = version  # type: ignore[attr-defined]
    return found
