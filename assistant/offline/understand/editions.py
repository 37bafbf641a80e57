"""Which edition(s) a question is about, and why (``Frame.edition_source``).

In order: a quarter that is an edition's period, a year (several years name several
editions), an edition named by id / title / report / acronym, the editions that own a
named dimension, else the default: the latest ``edition_year`` among the editions whose
``entity_kind`` fits the question and that contain every entity. Every rule reads
the specs; no edition is named here.
"""
from __future__ import annotations

from dataclasses import dataclass

from .catalogue import Catalogue, EditionInfo
from .lexicon import first_category
from .mention import Mention

# operations answered from the reports' text: an edition only when the question names one
TEXT_OPERATIONS = {"narrative", "concept", "definition"}
NO_EDITION = {"out_of_scope", "unanswerable"}


@dataclass(frozen=True)
class EditionChoice:
    editions: tuple[str, ...] = ()
    source: str | None = None
    missing_year: int | None = None   # a named year that no edition has
    named: str | None = None          # the edition a title names when its year is missing
    dimension: str | None = None      # key in editions[0]


def _kind(text: str, entities: list[str], cat: Catalogue) -> str | None:
    kinds = {cat.entity_kind[e] for e in entities}
    if kinds == {"district"}:
        return "district"
    if "global_city" in kinds:
        return "global_city"
    return first_category(text, "kinds")


def _narrow(candidates: list[EditionInfo], kind: str | None, entities: list[str], dims: set[str]) -> list[EditionInfo]:
    """Keep the candidates that fit best: dimension owners, then kind, then entity members."""
    for keep in (lambda e: e.id in dims, lambda e: kind is None or e.kind == kind,
                 lambda e: all(x in e.members for x in entities)):
        kept = [e for e in candidates if keep(e)]
        candidates = kept or candidates
    return candidates


def _latest(candidates: list[EditionInfo]) -> EditionInfo:
    return max(candidates, key=lambda e: (e.year, e.kind == "city", e.id))


def _by_words(surface: str, edition: EditionInfo) -> str | None:
    """The one dimension of ``edition`` whose name contains ``surface`` as a word ("environment"
    in a district index: "Innovation and entrepreneurship environment")."""
    needle = surface.lower().strip()
    hits = [key for key, (zh, en, aliases) in edition.dimension_names.items()
            if needle in zh or needle in en.lower().split() or needle in [a.lower() for a in aliases]]
    return hits[0] if len(hits) == 1 else None


def _named(mentions: list[Mention], years: list[int], kind: str | None, entities: list[str], dims: set[str],
           cat: Catalogue) -> tuple[list[str], int | None]:
    """Editions named by title, id or report, in the order named (a report title shared by two
    editions picks the one that fits best), then one per year that none of them has; and
    the first year no edition has ("the 2024 city hard-tech index": the premise is checked)."""
    out: list[str] = []
    for m in mentions:
        if m.kind != "edition":
            continue
        group = [cat.editions[t.target] for t in m.targets]
        dated = [e for e in group if e.year in years or e.data_year in years] or group
        pick = dated[0] if len(dated) == 1 else _latest(_narrow(dated, kind, entities, dims))
        if pick.id not in out:
            out.append(pick.id)
    missing = None
    for year in dict.fromkeys(years):
        if any(cat.editions[e].year == year or cat.editions[e].data_year == year for e in out):
            continue
        cands = [e for e in cat.editions.values() if e.year == year] or \
            [e for e in cat.editions.values() if e.data_year == year]
        if not cands:
            missing = missing or year
        elif (pick := _latest(_narrow(cands, kind, entities, dims))).id not in out:
            out.append(pick.id)
    return out, missing


def resolve(text: str, mentions: list[Mention], entities: list[str], operation: str, cat: Catalogue) -> EditionChoice:
    if operation == "out_of_scope":
        return EditionChoice(missing_year=next((m.value for m in mentions if m.kind == "year"), None))
    if operation == "unanswerable":  # what the index says instead comes from an edition the question names
        choice = resolve(text, mentions, entities, "lookup", cat)
        return choice if choice.source not in (None, "default") else \
            EditionChoice(missing_year=choice.missing_year or next((m.value for m in mentions if m.kind == "year"), None))
    kind = _kind(text, entities, cat)
    dims = {t.edition for m in mentions if m.kind == "dimension" for t in m.targets}
    named = list(dict.fromkeys(t.target for m in mentions if m.kind == "edition" for t in m.targets))
    all_editions = list(cat.editions.values())
    editions: list[str] = []
    source = None
    missing = None
    periods = [m.value for m in mentions if m.kind == "period"]
    for period in periods:
        editions += [e.id for e in all_editions if e.period == period and e.id not in editions]
    if editions:
        source = "explicit"
    years = [m.value for m in mentions if m.kind == "year"]
    if not editions and named:
        editions, missing = _named(mentions, years, kind, entities, dims, cat)
        source = "explicit"
    elif not editions:
        for year in dict.fromkeys(years):
            cands = [e for e in all_editions if e.year == year] or [e for e in all_editions if e.data_year == year]
            if not cands:
                missing = missing or year
                continue
            pick = _latest(_narrow(cands, kind, entities, dims))
            if pick.id not in editions:
                editions.append(pick.id)
        if editions:
            source = "explicit" if len(editions) > 1 else "year"
    if not editions and missing is None and operation not in TEXT_OPERATIONS:  # pragma: the default rule
        owners = [cat.editions[d] for d in dims if kind is None or cat.editions[d].kind == kind]
        if owners:
            editions, source = [_latest(_narrow(owners, kind, entities, dims)).id], "dimension"
        else:
            pool = [e for e in all_editions if e.kind == (kind or "city")] or all_editions
            members = [e for e in pool if all(x in e.members for x in entities)] or \
                [e for e in pool if entities and entities[0] in e.members] or pool
            editions, source = [_latest(members).id], "default"
    if not editions and operation in TEXT_OPERATIONS and dims and missing is None:
        editions, source = [_latest(_narrow([cat.editions[d] for d in dims], kind, entities, dims)).id], "dimension"
    dimension = None
    if editions:
        for m in mentions:
            if m.kind == "dimension":
                dimension = next((t.target for t in m.targets if t.edition == editions[0]), None) or \
                    _by_words(m.surface, cat.editions[editions[0]])
                if dimension:
                    break
    return EditionChoice(editions=tuple(editions), source=source, missing_year=missing,
                         named=named[0] if named and missing else None, dimension=dimension)
