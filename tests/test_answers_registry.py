"""The answering package's contracts: a handler for every operation, every sentence in both
languages with the same placeholders, every phrase the code names exists, no sentence
templates or edition ids in the answering code, and small files."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from assistant.offline.answers import HANDLERS
from assistant.offline.frame import OPERATIONS
from assistant.offline.writer import phrases, placeholders

ROOT = Path(__file__).resolve().parent.parent
OFFLINE = ROOT / "assistant" / "offline"
ANSWERING = sorted([*(OFFLINE / "answers").glob("*.py"), OFFLINE / "writer.py", OFFLINE / "__init__.py"])


def test_every_operation_has_a_handler():
    assert set(HANDLERS) == set(OPERATIONS)
    for op, handler in HANDLERS.items():
        assert handler.__module__ == f"assistant.offline.answers.{op}", op
        assert callable(handler)


def test_handlers_never_call_each_other():
    """A handler hands over by returning a Fallback; it never imports another handler's module."""
    for op in OPERATIONS:
        tree = ast.parse((OFFLINE / "answers" / f"{op}.py").read_text(encoding="utf-8"))
        modules = set()
        for n in ast.walk(tree):
            if isinstance(n, ast.ImportFrom) and n.level == 1:
                # "from . import x" imports modules x; "from .x import y" imports from module x
                modules |= {a.name for a in n.names} if not n.module else {n.module.split(".")[0]}
        others = modules & (set(OPERATIONS) - {op})
        assert not others, f"{op}.py imports the handler module(s) {others}"


def test_both_languages_have_every_phrase_with_the_same_placeholders():
    table = phrases()
    assert len(table) > 200
    for key, pair in table.items():
        assert pair["zh"].strip() or key.startswith("sep."), key
        assert placeholders(pair["zh"]) == placeholders(pair["en"]), key


def _literal_keys() -> set[str]:
    keys = set()
    for path in ANSWERING:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(r"[a-z_]+\.[a-z_0-9]*[a-z0-9]", node.value):
                keys.add(node.value)
    return keys


def test_every_phrase_the_code_names_exists():
    groups = {k.split(".")[0] for k in phrases()}
    named = {k for k in _literal_keys() if k.split(".")[0] in groups}
    assert named, "the scan found no phrase keys"
    missing = sorted(k for k in named if k not in phrases())
    assert not missing, missing
    # keys built from data: every entity kind, tier form and composite basis
    from assistant.offline.answers import editions

    for eid in editions.ids():
        assert f"kind.{editions.kind(eid)}" in phrases()
    for form in ("suffix", "bare"):
        for status in ("", "_assumed", "_unnamed"):
            assert f"tier.{form}{status}" in phrases()
    assert {"gap.basis_printed", "gap.basis_computed"} <= set(phrases())


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


@pytest.mark.parametrize("path", ANSWERING, ids=lambda p: p.name)
def test_no_sentence_templates_or_edition_ids_in_the_answering_code(path):
    from index_core.io import edition_ids

    text = path.read_text(encoding="utf-8")
    assert not [e for e in edition_ids() if e in text], f"edition id literal in {path.name}"
    tree = ast.parse(text)
    docs = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            assert not re.search(r"[\u3400-\u9fff]{2,}", node.value), f"{path.name}:{node.lineno}: Chinese text {node.value!r}"
            assert not re.fullmatch(r"[A-Z][a-z]+(?: [A-Za-z',]+){3,}[.?!:]?", node.value), \
                f"{path.name}:{node.lineno}: an English sentence {node.value!r}"


OWNED = sorted([*OFFLINE.rglob("*.py"), *(ROOT / "assistant" / n for n in ("tools.py", "tool_args.py", "retrieval.py",
                                                                             "envelope.py"))])


@pytest.mark.parametrize("path", OWNED, ids=lambda p: str(p.relative_to(ROOT)))
def test_files_stay_small(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400


def test_retrieval_is_the_only_module_that_imports_vectorstore():
    importers = []
    for path in (ROOT / "assistant").rglob("*.py"):
        if "evaluation" in path.parts:  # the eval CLI runs the retrieval suite itself (not the answerer)
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for n in ast.walk(tree):
            mods = [a.name for a in n.names] if isinstance(n, ast.Import) else [n.module or ""] if isinstance(n, ast.ImportFrom) else []
            if any(m == "vectorstore" or m.startswith("vectorstore.") for m in mods):
                importers.append(path.relative_to(ROOT).as_posix())
    assert sorted(set(importers)) == ["assistant/retrieval.py"]
