"""The one use-case shape, checked on the classes the contexts' dishka providers list.

A use case is a class with one public method, ``async def execute(...)``. Each context's
use-case provider lists them in two ``provide_all`` groups, ``commands`` and ``queries``.
A query reads only: it is not given the ``UnitOfWork`` and it answers a read model (a
msgspec Struct, or a list, tuple or union of them). A command answers None, an id or a
read model, never a domain entity.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal, get_args, get_origin

import msgspec
from dishka import Provider
from dishka.dependency_source.composite import CompositeDependencySource
from dishka.dependency_source.factory import Factory

from cmh.kernel.uow import UnitOfWork

Kind = Literal["command", "query"]
GROUPS: dict[str, Kind] = {"commands": "command", "queries": "query"}


@dataclass(frozen=True)
class ProvidedUseCase:
    cls: type
    kind: Kind
    provider: str


def provided_use_cases(providers: Iterable[type[Provider]]) -> list[ProvidedUseCase]:
    """The classes in the ``commands`` and ``queries`` groups of ``providers``."""
    found = []
    for provider in providers:
        for klass in provider.__mro__:
            for group, kind in GROUPS.items():
                source = vars(klass).get(group)
                if not isinstance(source, CompositeDependencySource):
                    continue
                for factory in source.dependency_sources:
                    if isinstance(factory, Factory) and isinstance(factory.source, type):
                        found.append(ProvidedUseCase(factory.source, kind, provider.__name__))
    return found


def providers_of(module_name: str) -> list[type[Provider]]:
    module = importlib.import_module(module_name)
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, Provider)
        and value.__module__ == module_name
    ]


def classes_with_execute(package_name: str) -> Iterator[type]:
    """Every class defined under ``package_name`` (tests left out) that has ``execute``."""
    package = importlib.import_module(package_name)
    for module_info in pkgutil.walk_packages(package.__path__, package_name + "."):
        leaf = module_info.name.rsplit(".", 1)[-1]
        if leaf.endswith("_test") or leaf == "conftest":
            continue
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and value.__module__ == module.__name__
                and hasattr(value, "execute")
            ):
                yield value


def shape_problems(cls: type, kind: Kind) -> list[str]:
    """What is wrong with ``cls`` as a use case of ``kind``; empty when it has the shape."""
    name = cls.__qualname__
    problems = []
    own = _members(cls)
    if "__call__" in own:
        problems.append(f"{name} defines __call__: use cases are called through execute()")
    extra = sorted(m for m in own if not m.startswith("_") and m != "execute")
    if extra:
        problems.append(f"{name} has public members besides execute: {', '.join(extra)}")
    execute = own.get("execute")
    if execute is None:
        problems.append(f"{name} has no execute()")
        return problems
    if not inspect.iscoroutinefunction(execute):
        problems.append(f"{name}.execute is not a coroutine function (async def)")
    try:
        answer = typing.get_type_hints(execute).get("return", inspect.Signature.empty)
        init = next(vars(k)["__init__"] for k in cls.__mro__ if "__init__" in vars(k))
        needs = typing.get_type_hints(init)
    except Exception as exc:
        problems.append(f"{name}: annotations do not resolve ({exc!r})")
        return problems
    if answer is inspect.Signature.empty:
        problems.append(f"{name}.execute has no return annotation")
        return problems
    if kind == "query":
        takes_uow = sorted(p for p, hint in needs.items() if _is_unit_of_work(hint))
        if takes_uow:
            problems.append(f"query {name} takes the UnitOfWork ({', '.join(takes_uow)})")
        if not _is_read_model(answer):
            problems.append(
                f"query {name} answers {_spell(answer)}, not a read model (a msgspec Struct)"
            )
    else:
        entities = sorted({_spell(t) for t in _leaves(answer) if _is_domain_type(t)})
        if entities:
            problems.append(f"command {name} answers a domain entity: {', '.join(entities)}")
    return problems


def _members(cls: type) -> dict[str, Any]:
    members: dict[str, Any] = {}
    for klass in reversed(cls.__mro__[:-1]):  # object's own members are no finding
        members.update(vars(klass))
    # A plain attribute set on the class (a constant) is no door into the use case.
    return {
        name: value
        for name, value in members.items()
        if callable(value) or isinstance(value, (staticmethod, classmethod, property))
    }


def _is_unit_of_work(hint: Any) -> bool:
    return any(UnitOfWork in getattr(t, "__mro__", ()) for t in _leaves(hint))


def _is_struct(hint: Any) -> bool:
    return isinstance(hint, type) and issubclass(hint, msgspec.Struct)


def _is_read_model(hint: Any) -> bool:
    origin = get_origin(hint)
    if origin in (list, tuple) or (
        origin is not None and getattr(origin, "__name__", "") == "Sequence"
    ):
        items = [a for a in get_args(hint) if a is not Ellipsis]
        return bool(items) and all(_is_struct(a) for a in items)
    if origin in (typing.Union, types.UnionType):
        members = [a for a in get_args(hint) if a is not type(None)]
        return bool(members) and all(_is_read_model(a) for a in members)
    return _is_struct(hint)


def _leaves(hint: Any) -> Iterator[Any]:
    args = get_args(hint)
    if not args:
        yield hint
        return
    for arg in args:
        yield from _leaves(arg)


def _is_domain_type(hint: Any) -> bool:
    return isinstance(hint, type) and ".domain." in f"{hint.__module__}."


def _spell(hint: Any) -> str:
    return hint.__qualname__ if isinstance(hint, type) else repr(hint)
