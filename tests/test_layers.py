"""The layers of server/ hold (docs/architecture.md): shared plumbing (the modules at the top
of server/) imports no capability; capabilities (the packages) import plumbing and each other
without a cycle; only the application (app.py) imports the page shell (server/web); app.py,
cli.py and demo.py assemble the rest. Module-level imports count, as Python runs them; an
import under `if TYPE_CHECKING:` does not."""

from __future__ import annotations

import ast
from pathlib import Path

SERVER = Path(__file__).resolve().parent.parent / "server"
ASSEMBLY = {"app", "cli", "demo"}
PACKAGES = {p.name for p in SERVER.iterdir() if (p / "__init__.py").exists()}
PLUMBING = {p.stem for p in SERVER.glob("*.py")} - ASSEMBLY - {"__init__"}


def imported(path: Path) -> set[str]:
    """The server.* modules a file imports when it is loaded, as `server.x.y` names."""
    found: set[str] = set()

    def walk(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.If | ast.Try):
                walk(node.body)
                walk(node.orelse)

    walk(ast.parse(path.read_text(encoding="utf-8")).body)
    return {name for name in found if name.startswith("server.")}


def unit(path: Path) -> str:
    """A package's name, or a top-level module's."""
    return path.relative_to(SERVER).parts[0].removesuffix(".py")


def dependencies() -> dict[str, dict[str, set[str]]]:
    """unit -> the units it imports -> the files that import them."""
    found: dict[str, dict[str, set[str]]] = {}
    for path in SERVER.rglob("*.py"):
        source = unit(path)
        for name in imported(path):
            target = name.split(".")[1]
            if target != source and target in PACKAGES | PLUMBING | ASSEMBLY:
                where = found.setdefault(source, {}).setdefault(target, set())
                where.add(str(path.relative_to(SERVER.parent)))
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one unit (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, set()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_two_capabilities_import_each_other_even_through_others() -> None:
    graph = {source: set(targets) for source, targets in dependencies().items()}
    assert cycles(graph) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_plumbing_imports_no_capability() -> None:
    wrong = {
        f"{source} -> {target}": sorted(files)
        for source, targets in dependencies().items()
        if source in PLUMBING
        for target, files in targets.items()
        if target in PACKAGES | ASSEMBLY
    }
    assert wrong == {}


def test_only_the_application_imports_the_page_shell() -> None:
    importers = {
        source: sorted(files)
        for source, targets in dependencies().items()
        for target, files in targets.items()
        if target == "web" and source not in ASSEMBLY
    }
    assert importers == {}
