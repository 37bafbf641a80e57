"""Parser mode: the model reads the question into a :class:`~assistant.offline.frame.Frame`
through structured output (the JSON schema of :class:`FrameDraft`); the deterministic
answerer then writes the verified answer from the frame.

The model's draft is trusted for nothing: every name is checked against the core's registry
and the edition specs. What resolves becomes the frame's canonical slots; every name the
model wrote is kept as a :class:`~assistant.offline.frame.Link` with method ``"llm"``
(unresolved ones with "did you mean" suggestions). Any failure (endpoint down, output that is
not the schema) falls back to the offline understanding, with a warning.
"""
from __future__ import annotations

import difflib
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Literal

import yaml
from langchain_core.messages import AIMessage
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from index_core import api, io
from index_core.errors import HardtechError
from prompts import render

from ..offline.frame import Filter, Frame, Link, Operation, Premise
from .client import Client, content_text, conversation
from .dialects import json_payload
from .errors import LLMFailure

Understand = Callable[[str, list[dict]], Frame]
_EXAMPLES = Path(__file__).resolve().parents[1] / "offline" / "frame_examples.yaml"


class DraftPremise(BaseModel):
    kind: Premise.model_fields["kind"].annotation  # type: ignore[valid-type]
    entity: str | None = None
    other: str | None = None
    value: float | int | str | None = None
    edition: str | None = None
    dimension: str | None = None


class FrameDraft(BaseModel):
    """The frame as the model fills it: names as the model writes them, checked afterwards."""

    model_config = ConfigDict(extra="ignore")

    language: Literal["zh", "en"]
    operation: Operation
    entities: list[str] = Field(default_factory=list)
    editions: list[str] = Field(default_factory=list)
    edition_source: Literal["explicit", "year", "dimension", "inherited", "default"] | None = None
    year: int | None = None
    dimension: str | None = None
    indicator: str | None = None
    aspect: str | None = None
    composite: Literal["printed", "computed"] | None = None
    period: str | None = None
    n: int | None = Field(None, ge=1, le=100)
    offset: int = Field(0, ge=0)
    direction: Literal["top", "bottom"] | None = None
    polarity: Literal["weak", "strong"] | None = None
    tier: int | None = None
    filters: list[Filter] = Field(default_factory=list)
    weights: dict[str, float] | None = None
    topic: str | None = None
    reason: str | None = None
    premises: list[DraftPremise] = Field(default_factory=list)


# ----------------------------------------------------------------------------- the prompt
def _catalog() -> str:
    out = []
    for e in api.list_editions():
        spec = io.load_edition(e["id"]).spec
        dims = "; ".join(f"{d.key} ({d.zh} / {d.en})" for d in spec.dimensions)
        out.append(f"- {e['id']}: {e['title_zh']} / {e['title_en']}, year {e['edition_year']}, "
                   f"{e['entities']} {e['entity_kind']} entities. Dimensions: {dims}")
    return "\n".join(out)


def _examples() -> str:
    """One worked example per operation, from the frame contract's examples."""
    data = yaml.safe_load(_EXAMPLES.read_text(encoding="utf-8"))["examples"]
    seen, lines = set(), []
    for ex in data:
        op = ex["frame"]["operation"]
        if op not in seen:
            seen.add(op)
            lines.append(f"{ex['question']} -> {json.dumps(ex['frame'], ensure_ascii=False)}")
    return "\n".join(lines)


@lru_cache(maxsize=1)
def parser_prompt() -> str:
    return render("parser", catalog=_catalog(), examples=_examples())


# ----------------------------------------------------------------------------- checking the draft
def _language(text: str) -> Literal["zh", "en"]:
    cjk = len(re.findall(r"[\u4e00-\u9fff]", text))
    return "zh" if cjk and cjk * 3 >= len(re.findall(r"[A-Za-z]", text)) else "en"


class _Linker:
    """Checks the draft's names against the registry and specs, keeping a Link for each."""

    def __init__(self) -> None:
        self.links: list[Link] = []

    def entity(self, name: str) -> str | None:
        try:
            target = api.resolve_entity(name)
        except HardtechError as exc:
            self.links.append(Link(surface=name, kind="entity", target=None, score=0.0, method="llm",
                                   suggestions=tuple(exc.suggestions)))
            return None
        self.links.append(Link(surface=name, kind="entity", target=target, method="llm"))
        return target

    def edition(self, eid: str) -> str | None:
        if eid in io.edition_ids():
            self.links.append(Link(surface=eid, kind="edition", target=eid, method="llm"))
            return eid
        self.links.append(Link(surface=eid, kind="edition", target=None, score=0.0, method="llm",
                               suggestions=tuple(difflib.get_close_matches(eid, io.edition_ids(), n=3, cutoff=0.3))))
        return None

    def dimension(self, text: str, editions: list[str], *, record: bool = True) -> tuple[str, str] | None:
        """(edition, key) for a dimension key or name, in the given editions first, then in any."""
        suggestions: list[str] = []
        for eid in editions + [e for e in io.edition_ids() if e not in editions]:
            spec = io.load_edition(eid).spec
            key = next((d.key for d in spec.dimensions
                        if text.strip().lower() in {f.lower() for f in (d.key, d.zh, d.en, *d.aliases)}), None)
            if key is None:
                try:
                    spec.dimension(text)  # raises with suggestions
                except HardtechError as exc:
                    suggestions += [s for s in exc.suggestions if s not in suggestions]
                continue
            if record:
                self.links.append(Link(surface=text, kind="dimension", target=key, method="llm"))
            return eid, key
        if record:
            self.links.append(Link(surface=text, kind="dimension", target=None, score=0.0, method="llm",
                                   suggestions=tuple(suggestions[:3])))
        return None

    def indicator(self, text: str) -> str | None:
        names: set[str] = set()
        for eid in io.edition_ids():
            ed = io.load_edition(eid)
            names.update(i.zh for i in ed.spec.indicators or [])
            if ed.facts is not None:
                names.update(ed.facts["indicator_zh"].dropna().astype(str))
        target = text if text in names else next((n for n in sorted(names) if text in n or n in text), None)
        self.links.append(Link(surface=text, kind="indicator", target=target, score=100.0 if target else 0.0, method="llm",
                               suggestions=() if target else tuple(difflib.get_close_matches(text, sorted(names), n=3))))
        return target


def to_frame(draft: FrameDraft, question: str) -> Frame:
    """The draft as a frame, with only names the data knows in its slots."""
    link = _Linker()
    entities = [e for e in (link.entity(n) for n in draft.entities) if e]
    editions = [e for e in (link.edition(x) for x in draft.editions) if e]
    source = draft.edition_source
    dimension = None
    if draft.dimension:
        found = link.dimension(draft.dimension, editions)
        if found:
            dimension = found[1]
            if not editions:
                editions, source = [found[0]], "dimension"
    weights = None
    if draft.weights:
        keyed = {link.dimension(k, editions, record=False): w for k, w in draft.weights.items()}
        weights = {found[1]: w for found, w in keyed.items() if found} or None
    premises = []
    for p in draft.premises:
        ent = _entity_name(p.entity)
        other = _entity_name(p.other)
        dim = link.dimension(p.dimension, editions, record=False) if p.dimension else None
        if (p.entity and not ent) or (p.other and not other) or (p.dimension and not dim):
            continue  # a premise about something the data does not know cannot be checked
        premises.append(Premise(kind=p.kind, entity=ent, other=other, value=p.value,
                                edition=p.edition if p.edition in io.edition_ids() else None,
                                dimension=dim[1] if dim else None))
    return Frame(
        question=question, language=_language(question), operation=draft.operation,
        entities=tuple(dict.fromkeys(entities)), editions=tuple(dict.fromkeys(editions)),
        edition_source=source if editions else None, year=draft.year, dimension=dimension,
        indicator=link.indicator(draft.indicator) if draft.indicator else None,
        aspect=draft.aspect, composite=draft.composite, period=draft.period, n=draft.n, offset=draft.offset,
        direction=draft.direction, polarity=draft.polarity, tier=draft.tier, filters=tuple(draft.filters),
        weights=weights, topic=draft.topic, reason=draft.reason, premises=tuple(premises),
        links=tuple(link.links), understood_by="llm",
    )


def _entity_name(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return api.resolve_entity(name)
    except HardtechError:
        return None


# ----------------------------------------------------------------------------- parsing
def _draft_payload(message: AIMessage) -> Any:
    payload = json_payload(content_text(message.content))
    if payload is None and message.tool_calls:  # some servers answer structured output as a call
        payload = message.tool_calls[0].get("args")
    return payload


def offline_understanding() -> Understand:
    """The offline understanding (``assistant.offline.understand``, issue 9)."""
    from ..offline.understand import understand

    return understand


def read_frame(question: str, history: list[dict], client: Client) -> Frame:
    """The model's frame. Raises :class:`LLMFailure` or pydantic's ``ValidationError``."""
    message = client.complete(conversation(parser_prompt(), history, question), schema=FrameDraft)
    return to_frame(FrameDraft.model_validate(_draft_payload(message)), question)


def parse(question: str, history: list[dict], client: Client, *,
          fallback: Understand | None = None) -> tuple[Frame, list[str]]:
    """(frame, warnings): the model's frame, or the offline understanding's when the model fails."""
    try:
        return read_frame(question, history, client), []
    except LLMFailure as failure:
        warning = f"the language model could not read the question ({failure.describe()}); understood offline"
    except ValidationError as exc:
        warning = (f"the language model's frame did not match the schema ({exc.error_count()} errors, "
                   f"first: {exc.errors()[0]['msg']}); understood offline")
    return (fallback or offline_understanding())(question, history), [warning]
