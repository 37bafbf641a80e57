"""Which edition(s) a question is about, and why (``Frame.edition_source``).

In order: a quarter that is an edition's period, a year (several years name several
editions), an edition named by id / title / report / acronym, the editions that own a
named dimension, else the default: the latest ``edition_year`` among the editions whose
``entity_kind`` fits the question and that contain every entity. Every rule reads
the specs; no edition is named here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .catalogue import Catalogue, EditionInfo
from .lexicon import Words, first_category, lexicon, words
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
    previous: bool = False            # a quarter named is the one before its edition's ("Q2 2018" -> 2018Q3)


def _kind(text: str, entities: list[str], cat: Catalogue) -> str | None:
    kinds = {cat.entity_kind[e] for e in entities}
    if kinds == {"district"}:
        return "district"
    if "global_city" in kinds:
        return "global_city"
    named = first_category(text, "kinds")
    if named is None and any(Words.of(c)(text.lower()) for c in lexicon()["countries"][1:]):
        return "global_city"  # "US cities": only the global edition has them
    return named


def _narrow(candidates: list[EditionInfo], kind: str | None, entities: list[str], dims: set[str]) -> list[EditionInfo]:
    """Keep the candidates that fit best: dimension owners, then kind, then entity members."""
    for keep in (lambda e: e.id in dims, lambda e: kind is None or e.kind == kind,
                 lambda e: all(x in e.members for x in entities)):
        kept = [e for e in candidates if keep(e)]
        candidates = kept or candidates
    return candidates


def _latest(candidates: list[EditionInfo]) -> EditionInfo:
    return max(candidates, key=lambda e: (e.year, e.kind == "city", e.id))


def by_words(surface: str, edition: EditionInfo) -> str | None:
    """The one dimension of ``edition`` whose name contains ``surface`` as a word ("environment"
    in a district index: "Innovation and entrepreneurship environment"), or all of its words
    ("innovation environment")."""
    needle = surface.lower().strip()
    said = set(re.findall(r"[a-z]+", needle))  # "innovation environment": every word in its name
    hits = [key for key, (zh, en, aliases) in edition.dimension_names.items()
            if needle in zh or needle in en.lower().split() or needle in [a.lower() for a in aliases]
            or len(said) >= 2 and said <= set(re.findall(r"[a-z]+", en.lower()))]
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
        if out:  # "the 2020 GTII": a year of the index named, not of another index
            cands = [e for e in cands if e.kind in {cat.editions[x].kind for x in out}]
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
    previous = False
    for period in periods:
        found = [e.id for e in all_editions if e.period == period] or \
            [e.id for e in all_editions if e.period and previous_period(e.period) == period]
        previous = previous or bool(found) and cat.editions[found[0]].period != period
        editions += [e for e in found if e not in editions]
    if editions:
        source = "explicit"
    years = [m.value for m in mentions if m.kind == "year"]
    if not editions and named:
        editions, missing = _named(mentions, years, kind, entities, dims, cat)
        source = "explicit"
    elif not editions:
        # an indicator's own history ("深圳2012到2017年高新技术企业增加了多少家"): a year before the data
        # of the latest edition is a year of the stated values, not an edition missing
        history = bool(entities) and any(m.kind == "indicator" for m in mentions) and \
            max((e.data_year or 0 for e in all_editions), default=0)
        for year in dict.fromkeys(years):
            cands = [e for e in all_editions if e.year == year] or [e for e in all_editions if e.data_year == year]
            if not cands and history and year <= history:
                continue
            if not cands:
                missing = missing or year
                continue
            pick = _latest(_narrow(cands, kind, entities, dims))
            if pick.id not in editions:
                editions.append(pick.id)
        if editions:
            source = "explicit" if len(editions) > 1 else "year"
    if not editions and missing is None and entities and (by_number := _printing(text, entities[0], cat)):
        editions, source = [by_number], "explicit"  # "Is Xi'an's composite 39.78 or 39.79?": the edition that prints it
    both = entities and operation in ("lookup", "tier", "why", "compare", "gap") and words("both_editions")(text.lower())
    if not editions and missing is None and operation not in TEXT_OPERATIONS and (words("two_editions")(text.lower()) or both):
        # "哪些城市在两版指数之间排名下降了", "what tier is Beijing in, in both years?": every edition of the kind, oldest first
        pool = sorted((e for e in all_editions if e.kind == (kind or "city")), key=lambda e: e.year)
        editions, source = [e.id for e in pool], "explicit"
    if not editions and missing is None and operation not in TEXT_OPERATIONS:  # pragma: the default rule
        owners = [cat.editions[d] for d in dims if kind is None or cat.editions[d].kind == kind]
        if owners:
            editions, source = [_latest(_narrow(owners, kind, entities, dims)).id], "dimension"
        else:
            pool = [e for e in all_editions if e.kind == (kind or "city")] or all_editions
            members = [e for e in pool if all(x in e.members for x in entities)] or \
                [e for e in pool if entities and entities[0] in e.members] or pool
            # "前四个梯队里…": an edition that names that many tiers
            deep = _deepest_tier(text)
            members = [e for e in members if (e.last_tier or 0) >= deep] or members
            editions, source = [_latest(members).id], "default"
    if not editions and operation in TEXT_OPERATIONS and dims and missing is None:
        editions, source = [_latest(_narrow([cat.editions[d] for d in dims], kind, entities, dims)).id], "dimension"
    dimension = None
    if editions:
        for m in mentions:
            if m.kind == "dimension":
                dimension = next((t.target for t in m.targets if t.edition == editions[0]), None) or \
                    by_words(m.surface, cat.editions[editions[0]])
                if dimension:
                    break
    return EditionChoice(editions=tuple(editions), source=source, missing_year=missing,
                         named=named[0] if named and missing else None, dimension=dimension, previous=previous)


def _deepest_tier(text: str) -> int:
    """The highest tier number the question names ("第四梯队", "the first four tiers"), 0 for none."""
    from . import slots  # slots reads editions' words; imported here to keep the layers one-way

    return max([*slots.tiers_listed(text.lower()), slots.tier(text) or 0])


def kept_kind(choice: EditionChoice, previous: str, mentions: list[Mention], entities: list[str],
              cat: Catalogue) -> EditionChoice:
    """A follow-up that names nothing but a year ("2018年呢？" after a count in the global index) asks
    the last turn's index in that year: its edition of that year, else that year is missing from it
    (the premise is checked and the reports' statements about that year answer), never another
    index that happens to have that year."""
    years = [m.value for m in mentions if m.kind == "year"]
    kind = cat.editions[previous].kind
    if entities or len(years) != 1 or any(m.kind in ("edition", "period") for m in mentions) or \
            not choice.editions or cat.editions[choice.editions[0]].kind == kind:
        return choice
    same = [e for e in cat.editions.values() if e.kind == kind and years[0] in (e.year, e.data_year)]
    if same:
        return EditionChoice(editions=(_latest(same).id,), source="year")
    return EditionChoice(editions=(previous,), source="explicit", missing_year=years[0], named=previous)


def previous_period(label: str) -> str | None:
    """The quarter before ``label`` ("2018Q3" -> "2018Q2", "2019Q1" -> "2018Q4")."""
    year, _, q = label.partition("Q")
    if not (year.isdigit() and q.isdigit()):
        return None
    return f"{year}Q{int(q) - 1}" if int(q) > 1 else f"{int(year) - 1}Q4"


def period_edition(label: str, cat: Catalogue) -> str | None:
    """The edition of a quarter: its own, else the one whose previous quarter it is (the report
    states the previous quarter's figures beside its own)."""
    return next((e.id for e in cat.editions.values() if e.period == label), None) or \
        next((e.id for e in cat.editions.values() if e.period and previous_period(e.period) == label), None)


_FIGURE = re.compile(r"(?<![\d.])\d{1,3}\.\d{2}(?![\d])")


def _printing(text: str, entity: str, cat: Catalogue) -> str | None:
    """The one edition that prints a figure the question quotes for ``entity`` (a composite or a
    dimension score, printed or computed), if the question quotes one."""
    figures = {float(x) for x in _FIGURE.findall(text)}
    if not figures:
        return None
    from index_core import api  # only for questions that quote a figure

    hits = []
    for e in cat.editions.values():
        if entity not in e.members:
            continue
        row = api.entity_scores(e.id, entity)
        values = {row.get("composite"), row.get("published_composite"),
                  *(d.get("score") for d in (row.get("dimensions") or {}).values())}
        if figures & {round(v, 2) for v in values if isinstance(v, (int, float))}:
            hits.append(e.id)
    return hits[0] if len(hits) == 1 else None
