"""The house's boundaries, as tests.

1. ``lint-imports`` checks the contracts in ``pyproject.toml`` ([tool.importlinter]): the layers
   ``hardtech.cli`` → ``service`` → ``assistant`` → ``vectorstore`` → ``index_core`` →
   ``hardtech.settings`` import downward only; only ``assistant.retrieval`` imports ``vectorstore``;
   the evaluation suite is not imported by product code; no import cycles between sibling modules.
2. ``ast`` checks for what a contract cannot say (:func:`violations`):
   - product code importing ``assistant.evaluation`` or ``tests`` (the assistant's own modules
     included; the root CLI may mount ``assistant.evaluation.cli``);
   - anything but ``assistant/retrieval.py`` (and ``vectorstore`` itself) importing ``vectorstore``
     (the root CLI may mount ``vectorstore``'s command modules, ``*cli``);
   - a private name (``_x``) imported, or reached as an attribute, across packages;
   - a cycle of module-level imports;
   - an edition id (a folder name under ``index_core/data/editions/``) as a string literal in
     ``assistant/``, ``service/`` or ``vectorstore/`` code (docstrings aside): editions are data.

Both are also run on a temporary copy of the code with a violation planted, and must fail there.
"""
from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("hardtech", "service", "assistant", "prompts", "vectorstore", "index_core")
NO_EDITION_LITERALS = ("assistant", "service", "vectorstore")
ROOT_CLI = "hardtech.cli"  # the composition root: it mounts every package's CLI



@dataclass(frozen=True)
class Import:
    module: str  # the imported module, absolute
    names: tuple[str, ...]  # names taken from it (``from m import a, b``); () for ``import m``
    line: int
    top_level: bool  # executed when the importing module is imported (not inside a function)


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def product_files(root: Path) -> dict[str, Path]:
    """Every product module under ``root``: name → file."""
    return {module_name(root, p): p for pkg in PACKAGES for p in sorted((root / pkg).rglob("*.py"))}


def _resolve(importer: str, is_package: bool, level: int, module: str | None) -> str:
    if not level:
        return module or ""
    base = importer.split(".") if is_package else importer.split(".")[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def imports_of(name: str, path: Path, tree: ast.Module, known: set[str]) -> list[Import]:
    """Every import in a module (function-local ones too), resolved to absolute module names;
    ``from pkg import sub`` counts as importing the module ``pkg.sub`` when it is one."""
    is_package = path.name == "__init__.py"
    top = {id(n) for n in _top_level_nodes(tree)}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [Import(a.name, (), node.lineno, id(node) in top) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            mod = _resolve(name, is_package, node.level, node.module)
            names = tuple(a.name for a in node.names)
            submodules = [n for n in names if f"{mod}.{n}" in known]
            # ``from . import sub`` depends on the submodule, not on the package's __init__ (as
            # ``from .sub import x`` does not): only names that are not submodules come from ``mod``
            if len(submodules) < len(names):
                out.append(Import(mod, tuple(n for n in names if n not in submodules), node.lineno, id(node) in top))
            out += [Import(f"{mod}.{n}", (), node.lineno, id(node) in top) for n in submodules]
        elif (isinstance(node, ast.Call) and isinstance(node.func, (ast.Attribute, ast.Name))
              and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
              and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            out.append(Import(node.args[0].value, (), node.lineno, False))
    return out


def _top_level_nodes(tree: ast.Module):
    """Statements run at import: module body, through if/try/with blocks, but not ``if TYPE_CHECKING``."""
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            stack += node.orelse
        elif isinstance(node, (ast.If, ast.Try, ast.With)):
            for field in ("body", "orelse", "finalbody", "handlers"):
                stack += getattr(node, field, [])
        elif isinstance(node, ast.ExceptHandler):
            stack += node.body


def _docstrings(tree: ast.Module) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                out.add(id(first.value))
    return out


def _private_definitions(tree: ast.Module) -> set[str]:
    """Private names a module defines: functions, classes, methods, and attributes it assigns."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            out.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            out.add(node.id)
    return {n for n in out if _private(n)}


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _package(module: str) -> str:
    return module.split(".")[0]


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def violations(root: Path) -> dict[str, list[str]]:
    """Every boundary violation in the code under ``root``, by rule: ``file:line: what``."""
    files = product_files(root)
    known = set(files)
    trees = {m: ast.parse(p.read_text(encoding="utf-8"), filename=str(p)) for m, p in files.items()}
    edition_ids = sorted(p.name for p in (root / "index_core" / "data" / "editions").iterdir() if p.is_dir())
    private_by_package: dict[str, set[str]] = {}
    for m, tree in trees.items():
        private_by_package.setdefault(_package(m), set()).update(_private_definitions(tree))

    found: dict[str, list[str]] = {r: [] for r in ("evaluation_or_tests", "vectorstore", "private_name", "import_cycle",
                                                   "edition_literal")}
    edges: dict[str, set[str]] = {}

    def add(rule: str, module: str, line: int, what: str) -> None:
        found[rule].append(f"{files[module].relative_to(root).as_posix()}:{line}: {what}")

    for m, tree in trees.items():
        pkg = _package(m)
        bound_modules: dict[str, str] = {}  # local name → product module of another package
        for imp in imports_of(m, files[m], tree, known):
            target = imp.module
            if imp.top_level and target in known and target != m:
                edges.setdefault(m, set()).add(target)
            in_evaluation = m == "assistant.evaluation" or m.startswith("assistant.evaluation.")
            if not in_evaluation and (target.startswith("assistant.evaluation") or _package(target) == "tests"):
                if not (m == ROOT_CLI and target == "assistant.evaluation.cli"):
                    add("evaluation_or_tests", m, imp.line, f"imports {target}")
            if _package(target) == "vectorstore" and pkg != "vectorstore" and m != "assistant.retrieval":
                if not (m == ROOT_CLI and target.rsplit(".", 1)[-1].endswith("cli")):  # the root CLI mounts its commands
                    add("vectorstore", m, imp.line, f"imports {target}")
            if _package(target) in PACKAGES and _package(target) != pkg:
                for n in imp.names:
                    if _private(n):
                        add("private_name", m, imp.line, f"imports {target}.{n}")
                if any(_private(part) for part in target.split(".")):
                    add("private_name", m, imp.line, f"imports the private module {target}")
        for node in ast.walk(tree):  # module aliases: `from index_core import io` binds io → index_core.io
            if isinstance(node, ast.ImportFrom):
                base = _resolve(m, files[m].name == "__init__.py", node.level, node.module)
                for a in node.names:
                    if f"{base}.{a.name}" in known and _package(base) != pkg:
                        bound_modules[a.asname or a.name] = f"{base}.{a.name}"
            elif isinstance(node, ast.Import):
                for a in node.names:  # `import a.b as c` binds c → a.b; `import a.b` binds a → a
                    if _package(a.name) in PACKAGES and _package(a.name) != pkg:
                        if a.asname:
                            bound_modules[a.asname] = a.name
                        else:
                            bound_modules[_package(a.name)] = _package(a.name)
        own = private_by_package.get(pkg, set())
        others = set().union(*(v for k, v in private_by_package.items() if k != pkg))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and _private(node.attr):
                owner = bound_modules.get(node.value.id) if isinstance(node.value, ast.Name) else None
                if owner or (node.attr in others and node.attr not in own):
                    add("private_name", m, node.lineno, f"uses {ast.unparse(node)} (private to {owner or 'another package'})")
        if pkg in NO_EDITION_LITERALS:
            docs = _docstrings(tree)
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
                    hits = [e for e in edition_ids if e in node.value]
                    if hits:
                        add("edition_literal", m, node.lineno, f"edition id {hits[0]!r} in {node.value[:60]!r}")
    for cycle in _cycles(edges):
        first = cycle[0]
        add("import_cycle", first, 1, "module-level import cycle: " + " -> ".join(cycle))
    return found


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("lint-imports")
    return subprocess.run([str(exe), "--config", str(root / "pyproject.toml"), "--no-cache"], cwd=root,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=300)


# ----------------------------------------------------------------------------- the code as it is
def test_import_contracts_hold():
    out = lint_imports(ROOT)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    assert "0 broken" in out.stdout


@pytest.mark.parametrize("rule", ["evaluation_or_tests", "vectorstore", "private_name", "import_cycle", "edition_literal"])
def test_no_boundary_violations(rule, _found):
    assert _found[rule] == [], "\n".join(_found[rule])


@pytest.fixture(scope="module")
def _found():
    return violations(ROOT)


# ----------------------------------------------------------------------------- planted violations
PLANTED = {
    "evaluation_or_tests": ("service/planted_eval.py", "from assistant.evaluation import runner\n"),
    "vectorstore": ("service/planted_vs.py", "def f():\n    from vectorstore.corpus import read_lines\n"),
    "private_name": ("service/planted_private.py", "from index_core import io\nLOADER = io._Yaml12Loader\n"),
    "import_cycle": ("service/planted_cycle_a.py", "from service import planted_cycle_b\n"),
    "edition_literal": ("vectorstore/planted_edition.py", 'def weight(edition):\n    return 2 if edition == "gtii-2019" else 1\n'),
}


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    """The product's code (and pyproject.toml) copied to a temporary directory."""
    root = tmp_path_factory.mktemp("planted")
    for pkg in PACKAGES:
        shutil.copytree(ROOT / pkg, root / pkg, ignore=shutil.ignore_patterns("static", "corpus", "__pycache__", "*.txt", "*.csv"))
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


@pytest.mark.parametrize("rule", sorted(PLANTED))
def test_a_planted_violation_fails(copy, rule):
    path, code = PLANTED[rule]
    planted = [copy / path]
    planted[0].write_text(code, encoding="utf-8")
    if rule == "import_cycle":
        planted.append(copy / "service" / "planted_cycle_b.py")
        planted[1].write_text("from service import planted_cycle_a\n", encoding="utf-8")
    try:
        found = violations(copy)
        assert any(v.startswith(str(Path(path).as_posix())) for v in found[rule]), found[rule]
        assert all(not v.startswith(str(Path(path).as_posix())) for r, vs in found.items() if r != rule for v in vs)
    finally:
        for p in planted:
            p.unlink()


def test_a_planted_upward_import_breaks_the_layers_contract(copy):
    planted = copy / "index_core" / "planted_up.py"
    planted.write_text("def serve():\n    from service.app import create_app\n    return create_app\n", encoding="utf-8")
    try:
        out = lint_imports(copy)
    finally:
        planted.unlink()
    assert out.returncode != 0 and "index_core.planted_up -> service.app" in out.stdout, out.stdout[-3000:]
