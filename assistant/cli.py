"""``hardtech ask`` and ``hardtech chat``: the assistant on the command line.

An answer prints in the question's language: the answer, then one numbered sources list
(report, section, line or lines, file), then notes. ``--format json`` prints the envelope,
``--format csv`` every number the answer states, with its source.
"""
from __future__ import annotations

import re
import sys
from typing import List, Optional

import typer
from rich.markdown import Markdown
from rich.text import Text

from index_core.errors import HardtechError
from index_core.output import Format, FormatOpt, JsonOpt, chosen, console, emit_data, emit_json

# The plain-text answer ends with its own sources footer (for Copy and the API's `answer`);
# people see the list below instead, so the footer is not printed twice.
_FOOTER_HEAD = re.compile(r"(?:\*\*)?(?:Sources|来源|出处)(?:\*\*)?\s*[:：]?(?:\s|\[|$)")
_REFS_ONLY = re.compile(r"(?:\*\*)?(?:Sources|来源|出处)(?:\*\*)?\s*[:：]\s*(?:\[\d+\]\s*)+")

LABELS = {
    "zh": {"sources": "来源", "note": "注：", "line": "第{a}行", "lines": "第{a}–{b}行", "none": "（还没有来源）",
           "no_answer": "（还没有回答）", "building": "首次使用：正在建立原文索引（约 15 秒，以后复用）……"},
    "en": {"sources": "Sources", "note": "note: ", "line": "line {a}", "lines": "lines {a}–{b}", "none": "(no sources yet)",
           "no_answer": "(no answer yet)", "building": "First use: building the passage index (about 15 s, reused later)…"},
}


def answer_body(answer: str) -> str:
    """The answer without its sources footer (its last paragraph, when that starts "Sources"/"来源")
    and without paragraphs of bare references ("Sources: [1] [2]")."""
    paragraphs = answer.rstrip().split("\n\n")
    if len(paragraphs) > 1 and _FOOTER_HEAD.match(paragraphs[-1].lstrip()):
        paragraphs.pop()
    return "\n\n".join(p for p in paragraphs if not _REFS_ONLY.fullmatch(p.strip())).rstrip()


def cite_line(c, lang: str, quote: bool = False) -> str:
    """``[1] report · section · line 1942 · file`` in the answer's language."""
    lab = LABELS[lang]
    a, b = c.lines
    where = (lab["line"] if a == b else lab["lines"]).format(a=a, b=b)
    parts = [f"[{c.id.lstrip('c')}] {c.doc_title}", c.section, where, c.source_file]
    return " · ".join(p for p in parts if p) + (f": {c.quote}" if quote else "")


def print_envelope(out, env) -> None:
    """An answer for people: body, one sources list, notes; every label in the answer's language."""
    lab = LABELS[env.language]
    out.print(Markdown(answer_body(env.answer)))
    if env.citations:
        out.print()
        out.print(Text(lab["sources"], style="bold"))
        for c in env.citations:
            out.print(cite_line(c, env.language), markup=False, overflow="fold")
    for w in env.warnings:
        out.print(Text.assemble((lab["note"], "yellow"), w))


def emit_answer(env, fmt: Format) -> None:
    if not emit_data(env.model_dump(mode="json"), fmt, [n.model_dump(mode="json") for n in env.numbers]):
        print_envelope(console(), env)


def _ensure_index(lang_hint: str) -> None:
    """Build the passage index before the first answer, saying so, rather than wait in silence."""
    from . import retrieval

    if retrieval.index_state() == "missing":
        console(stderr=True).print(Text(LABELS[lang_hint]["building"], style="dim"))
        retrieval.build_index()


def _lang(text: str) -> str:
    return "zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"


def register(app: typer.Typer) -> None:
    """Add ``ask`` and ``chat`` to the root ``hardtech`` CLI (which mounts ``llm`` from :mod:`assistant.llm.cli`)."""
    @app.command("ask")
    def ask_command(
        question: str = typer.Argument(..., help="The question, in Chinese or English."),
        history: Optional[List[str]] = typer.Option(None, "--history", help="An earlier user turn (repeatable, oldest first)."),
        fmt: Format = FormatOpt,
        as_json: bool = JsonOpt,
        llm: Optional[str] = typer.Option(None, "--llm", help="Use a model, e.g. openai:qwen2.5-7b-instruct or ollama:qwen2.5 (default: offline, or $HARDTECH_LLM)."),
    ) -> None:
        """Answer a question about the indices, with citations (--format csv: every number in the answer, with its source)."""
        from . import ask

        fmt = chosen(fmt, as_json)
        hist = [{"role": "user", "content": h} for h in (history or [])]
        try:
            _ensure_index(_lang(question))
            env = ask(question, hist, llm=llm)
        except HardtechError as exc:
            if fmt is Format.json:
                emit_json({"error": exc.to_dict()})
            else:
                console(stderr=True).print(f"[bold red]Error:[/] {exc}")
            raise typer.Exit(2) from None
        emit_answer(env, fmt)

    @app.command("chat")
    def chat_command(
        llm: Optional[str] = typer.Option(None, "--llm", help="Use a model (default: offline, or $HARDTECH_LLM)."),
    ) -> None:
        """Interactive chat that keeps the conversation. Commands: /sources, /json, /reset, /quit."""
        from . import ask

        out = console()
        interactive = sys.stdin.isatty()
        if interactive:
            out.print("hardtech chat · ask about scores, ranks, tiers, methods (Chinese or English). /sources /json /reset /quit")
        history: list[dict] = []
        last = None
        while True:
            try:
                line = input("> " if interactive else "")
            except (EOFError, KeyboardInterrupt):
                break
            q = line.strip()
            lang = last.language if last is not None else _lang(q)
            if not q:
                continue
            if q in ("/quit", "/exit"):
                break
            if q == "/reset":
                history, last = [], None
                continue
            if q == "/sources":
                if last is None or not last.citations:
                    out.print(LABELS[lang]["none"])
                for c in (last.citations if last else []):
                    out.print(cite_line(c, last.language, quote=True), markup=False, overflow="fold")
                continue
            if q == "/json":
                if last is None:
                    out.print(LABELS[lang]["no_answer"])
                else:
                    emit_json(last.model_dump(mode="json"))
                continue
            try:
                _ensure_index(_lang(q))
                last = ask(q, history, llm=llm)
            except HardtechError as exc:
                out.print(f"[bold red]Error:[/] {exc}")
                continue
            print_envelope(out, last)
            history += [{"role": "user", "content": q}, {"role": "assistant", "content": last.answer}]
