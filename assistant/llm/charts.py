"""Charts for LLM-mode answers, built from the tool results the answer rests on, in the
shape of :attr:`assistant.envelope.Envelope.chart` (``type``, ``title``, ``labels``,
``series`` of ``{name, values}``) and the kinds offline answers draw:

* ``compare`` -> several entities' dimension scores side by side;
* ``ranking`` -> a ranked list's scores;
* ``scores`` / ``explain`` -> one entity's dimension scores (``bar``);
* ``entity_editions`` -> one entity's rank by edition (``bar``).

The most specific successful call wins (a comparison over a single profile). Labels and
titles come from the edition specs, in the answer's language.
"""
from __future__ import annotations

from typing import Callable

from index_core import io

from ..envelope import ToolCall


def _dimension_labels(edition: str, keys: list[str], lang: str) -> list[str]:
    names = {d.key: (d.zh if lang == "zh" else d.en) for d in io.load_edition(edition).spec.dimensions}
    return [names.get(k, k) for k in keys]


def _edition_title(edition: str, lang: str) -> str:
    spec = io.load_edition(edition).spec
    year = spec.period or spec.edition_year
    return f"{year} {spec.title.zh if lang == 'zh' else spec.title.en}"


def _entity(row: dict, lang: str) -> str:
    name = row.get("name") or row.get("entity") or ""
    return name if lang == "zh" else (row.get("name_en") or name)


def _profile(result: dict, lang: str) -> dict | None:
    edition, dims = result.get("edition"), result.get("dimensions") or {}
    known = [(k, v["score"]) for k, v in dims.items() if isinstance(v, dict) and v.get("score") is not None]
    if not edition or not known:
        return None
    who = _entity(result, lang)
    title = f"{who} · {_edition_title(edition, lang)}：各维度得分" if lang == "zh" else \
        f"{who} · {_edition_title(edition, lang)}: dimension scores"
    return {"type": "bar", "title": title, "labels": _dimension_labels(edition, [k for k, _ in known], lang),
            "series": [{"name": who, "values": [v for _, v in known]}]}


def _compare(result: dict, lang: str) -> dict | None:
    rows, edition = result.get("entities") or [], result.get("edition")
    if len(rows) < 2 or not edition:
        return None
    keys = list(rows[0].get("dimensions") or {})
    title = f"{_edition_title(edition, lang)}：各维度对比" if lang == "zh" else f"{_edition_title(edition, lang)}: dimension scores side by side"
    return {"type": "compare", "title": title, "labels": _dimension_labels(edition, keys, lang),
            "series": [{"name": _entity(r, lang), "values": [(r["dimensions"].get(k) or {}).get("score") for k in keys]}
                       for r in rows]}


def _ranking(result: dict, lang: str) -> dict | None:
    rows, edition = result.get("entities") or [], result.get("edition")
    if not rows or not edition:
        return None
    by = result.get("by") or "composite"
    by_label = ("综合指数" if lang == "zh" else "composite") if by == "composite" else _dimension_labels(edition, [by], lang)[0]
    title = f"{_edition_title(edition, lang)} · 按{by_label}排名" if lang == "zh" else f"{_edition_title(edition, lang)} · ranking by {by_label}"
    return {"type": "ranking", "title": title, "labels": [_entity(r, lang) for r in rows],
            "series": [{"name": by_label, "values": [r.get("score") for r in rows]}]}


def _editions(result: dict, lang: str) -> dict | None:
    rows = [e for e in result.get("editions") or [] if e.get("rank")]
    if not rows:
        return None
    who = result.get("entity") or ""
    title = f"{who}：各版本名次（数值越小越靠前）" if lang == "zh" else f"{who}: rank by edition (lower is better)"
    return {"type": "bar", "title": title, "labels": [e["edition"] for e in rows],
            "series": [{"name": "名次" if lang == "zh" else "rank", "values": [e["rank"] for e in rows]}]}


_BUILDERS: list[tuple[str, Callable[[dict, str], dict | None]]] = [
    ("compare", _compare), ("ranking", _ranking), ("explain", _profile), ("scores", _profile), ("entity_editions", _editions),
]


def chart_for(calls: list[ToolCall], lang: str) -> dict | None:
    """The chart for an answer resting on ``calls`` (None when no call returned chartable data)."""
    for name, build in _BUILDERS:
        for call in reversed(calls):
            if call.name == name and isinstance(call.result, dict) and "error" not in call.result:
                chart = build(call.result, lang)
                if chart:
                    return chart
    return None
