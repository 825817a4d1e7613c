"""An import-linter contract that its built-in ones cannot say: a package imports only itself, the standard
library and the few packages named (`make lint` runs the contracts of pyproject.toml with `lint-imports`)."""

from __future__ import annotations

import sys

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output


class OnlyStandardLibraryContract(Contract):
    """`source_module` (and what is inside it) imports nothing but itself, the standard library and
    `allowed_packages` (top-level names). Needs `include_external_packages = true`: without it, imports of
    other installed packages are not in the graph to be seen."""

    type_name = "only_standard_library"

    source_module = fields.ModuleField()
    allowed_packages = fields.ListField(subfield=fields.StringField(), required=False, default=[])

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        source = self.source_module.name
        allowed = {*sys.stdlib_module_names, *self.allowed_packages}
        illegal = []
        for importer in sorted({source, *graph.find_descendants(source)}):
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                if imported == source or imported.startswith(f"{source}.") or imported.split(".")[0] in allowed:
                    continue
                lines = [
                    detail["line_number"] for detail in graph.get_import_details(importer=importer, imported=imported)
                ]
                illegal.append((importer, imported, lines))
        return ContractCheck(kept=not illegal, metadata={"illegal": illegal})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, imported, lines in check.metadata["illegal"]:
            output.print_error(f"- {importer} -> {imported} (l.{', '.join(map(str, lines))})", bold=False)
            output.new_line()
