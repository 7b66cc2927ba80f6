import inspect

from cmh.kernel import errors as kernel
from cmh.labs.domain import errors


def test_every_labs_error_is_a_kernel_kind_with_a_code_of_its_own() -> None:
    kinds = (kernel.InvalidInput, kernel.NotFound, kernel.Conflict, kernel.Forbidden)
    defined = [
        cls
        for _, cls in inspect.getmembers(errors, inspect.isclass)
        if cls.__module__ == errors.__name__
    ]
    labs: list[type[kernel.DomainError]] = [
        cls for cls in defined if issubclass(cls, kernel.DomainError)
    ]
    assert labs
    assert len(labs) == len(defined)
    assert all(issubclass(cls, kinds) for cls in labs)
    codes = [cls.code for cls in labs]
    assert len(set(codes)) == len(codes)
    assert not set(codes) & {kind.code for kind in kinds}


def test_an_error_carries_its_field() -> None:
    error = errors.InvalidTemplate("too short", field="title")
    assert (error.code, error.field, error.detail) == ("invalid_lab_template", "title", "too short")
