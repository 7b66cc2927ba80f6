"""An import-linter contract type the stock ones cannot express: production code never
imports test code. Tests live next to the code they test (``*_test.py``, ``test_*.py``,
``conftest.py`` inside ``src/``), so test code is recognised by module name, plus whole
packages that hold only test code (the ``cmh_testing`` harnesses).

Registered in pyproject.toml (``contract_types``) and run by ``make lint``; a test under
this directory shows it failing on a production module that imports a harness.
"""

from __future__ import annotations

from grimp import ImportGraph  # pants: no-infer-dep (import-linter's own graph library)
from importlinter import Contract, ContractCheck, fields, output


def _is_test_code(module: str, test_packages: frozenset[str]) -> bool:
    name = module.rsplit(".", 1)[-1]
    return (
        module.split(".", 1)[0] in test_packages
        or name == "conftest"
        or name.endswith("_test")
        or name.startswith("test_")
    )


class ProductionImportsNoTestCode(Contract):
    """Options: ``test_packages``, top-level packages that hold only test code."""

    type_name = "production_imports_no_test_code"

    test_packages = fields.ListField(subfield=fields.StringField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        test_packages = frozenset(str(p) for p in self.test_packages)  # type: ignore[attr-defined]
        violations = []
        for importer in sorted(graph.modules):
            if _is_test_code(importer, test_packages):
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                if not _is_test_code(imported, test_packages):
                    continue
                details = graph.get_import_details(importer=importer, imported=imported)
                violations.append(
                    {
                        "importer": importer,
                        "imported": imported,
                        "lines": [d["line_number"] for d in details],
                    }
                )
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print_error("Production code imports test code:")
        output.new_line()
        for violation in check.metadata["violations"]:
            lines = ", ".join(f"l.{n}" for n in violation["lines"])
            output.print_error(
                f"-   {violation['importer']} -> {violation['imported']} ({lines})", bold=False
            )
        output.new_line()
        output.print_error(
            "Move what production needs out of the harness (into the context or the kernel).",
            bold=False,
        )
