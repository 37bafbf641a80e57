"""What a question asserts, to be checked before it is answered (not checked here).

"Why did Shenzhen come first?" asserts rank 1; "why did X drop out of the top 10"
that X is outside the top 10; "2020年上海比深圳高多少分" that 上海 is ahead of 深圳;
"深圳得了80分" a score; "那50个城市" a count; "成都的排名为什么下降了" a fall between
editions; "the 2024 edition" that a 2024 edition exists. Patterns are in ``lexicon.yaml``
(``premise_patterns``); a hypothetical ("如果…", "what if…") asserts nothing.
"""
from __future__ import annotations

import re

from . import editions, positions, premise_claims
from . import standing as standing_of
from .catalogue import catalogue
from .editions import EditionChoice
from .lexicon import earliest_category, lexicon, patterns, to_number, words
from .lexicon import polarity as polarity_of
from .mention import Mention

INDEX_OPERATIONS = {"lookup", "compare", "gap", "rank", "leader", "count", "tier", "why", "breakdown", "change",
                    "method", "whatif", "sensitivity", "coverage"}
_OPPOSITE = {"in_top": "outside_top", "tier": "outside_tier", "class": "outside_tier", "leader": "not_leader", "last": "not_last"}
_NEGATABLE = ("rank", "leader", "last", "tier", "class", "in_top", "score", "score_change")
_VALUED = ("rank", "outside_top", "in_top", "tier", "class", "outside_tier", "only_tier", "tier_first", "tier_last")
_ENTITY_KINDS = ("outside_top", "in_top", "rank", "tier", "class", "outside_tier", "leader", "last", "score", "change",
                 "score_change", "only_tier", "tier_first", "tier_last", "not_leader", "not_last")
# premises about where one entity stands: a "why so weak / strong" question with none of them asserts its standing
_STANDING_KINDS = frozenset(_ENTITY_KINDS) | {"ordering", "same_tier", "membership", "rank_range"}
# claims about one edition's standing, bound to the year named beside them when a question names several
_YEAR_BOUND = frozenset({"rank", "in_top", "outside_top", "tier", "class", "outside_tier", "leader", "last", "score",
                         "tier_first", "tier_last", "not_leader", "not_last"})
_STANDING_KINDS = _STANDING_KINDS | {"not_leader", "not_last"}
# a year (or quarter) between a name and what is said of it ("深圳2020年比上海高", "Wuhan in 2019 beat")
_WHEN = re.compile(r"^\s*(?:年度|年)?\s*(?:的)?")
_CLAUSE = re.compile(lexicon()["clause_break"], re.IGNORECASE)
# "在2020年" / "于2019年" go with the year, the 于 of 属于 / 位于 stays with its verb
_WHEN_BEFORE = re.compile(r"(?:\b(?:in|for|of)\s+|(?<![属位处居低高])(?:在|于)\s*)$", re.IGNORECASE)


def _marked(text: str, mentions: list[Mention], entities: list[str]) -> tuple[str, list[tuple[int, str]], list[tuple[int, int]]]:
    """``text`` with entity mentions as ``§E<i>``, edition names as ``§X0`` and years dropped,
    where each entity marker (and, as ``None``, each dimension name) starts, and where each
    year was (position in the marked text, year)."""
    out, last, where, years = [], 0, [], []
    for m in sorted(mentions, key=lambda m: m.start):
        if m.kind == "dimension" and m.start >= last:
            where.append((sum(len(x) for x in out) + m.start - last, None))
        if m.start < last or m.kind not in ("entity", "edition", "year", "period") or \
                m.kind == "entity" and (not m.resolved or m.targets[0].target not in entities):
            continue
        chunk = text[last:m.start]
        if m.kind in ("year", "period"):
            out.append(_WHEN_BEFORE.sub("", chunk))
            if m.kind == "year":
                years.append((sum(len(x) for x in out), m.value))
            rest = _WHEN.match(text[m.end:])
            last = m.end + (rest.end() if rest else 0)
            continue
        out.append(chunk)
        if m.kind == "entity":
            name = m.targets[0].target
            where.append((sum(len(x) for x in out), name))
            out.append(f"§E{entities.index(name)}")
        else:
            out.append("§X0")
        last = m.end
    out.append(text[last:])
    return "".join(out), where, years


def _pronoun_marked(marked: str, where: list[tuple[int, str]], entities: list[str]) -> tuple[str, list[tuple[int, str]]]:
    """An entity the turn takes from the one before, marked where the turn points to it:
    "为什么它比西安高" after 杭州 asserts that 杭州 is ahead of 西安."""
    missing = [i for i, name in enumerate(entities) if f"§E{i}" not in marked]
    spans = words("cues", "pronoun").spans(marked.lower())
    if len(missing) != 1 or not spans:
        return marked, where
    a, b = spans[0]
    # "is its weakest" is not "is Xi'an weakest": a possessive stays one
    marker = f"§E{missing[0]}" + ("'s" if marked[a:b].lower() in lexicon()["possessive_pronouns"] else "")
    shift = len(marker) - (b - a)
    moved = [(pos + shift if pos >= b else pos, name) for pos, name in where] + [(a, entities[missing[0]])]
    return marked[:a] + marker + marked[b:], sorted(moved, key=lambda x: x[0])


def _members(edition: str) -> frozenset[str]:
    return catalogue().editions[edition].members


def _value(kind: str, m: re.Match):
    raw = m.groupdict().get("v") or m.groupdict().get("w") or m.groupdict().get("x") or \
        ("1" if m.groupdict().get("one") else "")  # "the top class": the first
    if kind == "score":
        try:
            return float(raw)
        except ValueError:
            return None
    if kind in ("change", "score_change"):
        return "up" if any(rx.fullmatch(raw) for rx in patterns("premise_patterns", "rising")) else "down"
    return to_number(raw)


def extract(text: str, mentions: list[Mention], entities: list[str], operation: str, choice: EditionChoice,
            dimension: str | None) -> list[dict]:
    """Premises as dicts of :class:`~assistant.offline.frame.Premise` fields."""
    if operation not in INDEX_OPERATIONS:
        return []
    edition = choice.editions[0] if choice.editions and choice.source != "default" else None
    out: list[dict] = []
    if choice.missing_year:
        out.append({"kind": "edition_year", "value": choice.missing_year, "edition": choice.named})
    elif choice.source == "year" and entities and not all(entities[0] in _members(e) for e in choice.editions):
        year = next((m.value for m in mentions if m.kind == "year"), None)
        if year is not None:  # "2018年硬科技指数里北京": no edition of that year covers the city
            out.append({"kind": "edition_year", "value": year, "entity": entities[0]})
    if edition and dimension is None:  # "Beijing's research talent score in the 2019 index": 2020 has that dimension
        named = [t.target for m in mentions if m.kind == "dimension" for t in m.targets]
        if named and not any(t.edition == edition for m in mentions if m.kind == "dimension" for t in m.targets):
            out.append({"kind": "dimension", "value": named[0], "edition": edition})
    for m in mentions:  # "2019年第三季度的重庆区县双创指数": a quarter no edition reports
        if m.kind == "period" and not editions.period_edition(m.value, catalogue()):
            out.append({"kind": "edition_year", "value": m.value, "edition": choice.editions[0] if choice.editions else None})
    out += premise_claims.city_against_district(text, mentions, entities, catalogue())
    marked, where, years = _marked(text, mentions, entities)
    marked, where = _pronoun_marked(marked, where, entities)
    hypothetical = any(rx.search(marked) for rx in patterns("premise_patterns", "hypothetical"))
    if operation in ("whatif", "sensitivity") or hypothetical:
        return _unique(out)
    for kind in ("ordering", "membership", "same_tier"):
        for rx in premise_claims.rx(kind):
            for m in rx.finditer(marked):
                a = entities[int(m.group("a")[2:])]
                b = entities[int(m.group("b")[2:])] if "b" in m.groupdict() and m.group("b") else None
                out.append({"kind": kind, "entity": a, "other": b, "edition": edition,
                            "dimension": dimension if kind == "ordering" and _dimension_by(where, m.end(), marked) else None})
    for rx in patterns("premise_patterns", "top_list"):  # each one named is in the top N
        for m in rx.finditer(marked):
            n = to_number(m.group("v") or m.groupdict().get("w") or "")
            out += [{"kind": "in_top", "entity": entities[int(i)], "value": n, "edition": edition, "dimension": dimension}
                    for i in re.findall(r"§E(\d)", m.group("list")) if n and n >= 1]
    for rx in patterns("premise_patterns", "tier_count"):  # "分了三个梯队": the edition's number of tiers
        if (m := rx.search(marked)) and (value := to_number(m.group("v"))) and value > 1:
            out.append({"kind": "tier_count", "value": value, "edition": edition})
            break
    for rx in patterns("premise_patterns", "count"):
        if m := rx.search(marked):
            # "北京、上海…苏州这十个城市": a number that counts the entities named is about them, not the edition
            if (value := to_number(m.group("v"))) and value > 1 and value != len(entities):
                out.append({"kind": "count", "value": value, "edition": edition})
                break
    out += premise_claims.tally(marked, operation, edition, out)
    out += premise_claims.weight(text, mentions, edition)
    out += premise_claims.indicator_value(text, mentions, entities, edition)
    if not entities:
        return _unique(out)
    claims: list[tuple[int, int, dict]] = []
    out += premise_claims.ranges(marked, where, entities, edition,
                                 lambda end: dimension if _dimension_by(where, end, marked) else None)
    for kind in _ENTITY_KINDS:
        for rx in premise_claims.rx(kind):
            for m in rx.finditer(marked):
                if any(s <= m.start() and m.end() <= e and p["kind"] == kind for s, e, p in claims):
                    continue  # "跟上海一起在第二梯队" inside "武汉跟上海一起在第二梯队": one claim, about 武汉
                found = _entity_premise(kind, m, where, marked, entities, out, edition, dimension)
                out += found
                claims += [(m.start(), m.end(), p) for p in found]
    out = _bind_years(out, claims, years, choice, marked) + _shared(claims, marked, entities)
    for start, tier, alias_edition in positions.tier_aliases(marked):
        before = [name for pos, name in where if pos <= start and name]
        if before:  # "深圳是挑战者吗": the alias names a tier of the edition that has it
            out.append({"kind": "tier", "entity": before[-1], "value": tier, "edition": edition or alias_edition})
    if words("movement", "rise")(marked.lower()) and words("movement", "fall")(marked.lower()):
        out = [p for p in out if p["kind"] not in ("change", "score_change")]  # "rose the most and fell the most?": asks which
    # "the weakest city in tier 2", "第三梯队里最强的": the end of that tier, not of the whole ranking
    ends = {(p["entity"], {"tier_last": "last", "tier_first": "leader", "not_leader": "leader", "not_last": "last"}[p["kind"]])
            for p in out if p["kind"] in ("tier_first", "tier_last", "not_leader", "not_last")}  # "lost first place": not first
    out = [p for p in out if (p.get("entity"), p["kind"]) not in ends and
           not ((p.get("entity"), "leader") in ends and p["kind"] == "rank" and p.get("value") == 1)]
    alone = {(p["entity"], p["value"]) for p in out if p["kind"] == "only_tier"}  # one claim: alone in the tier
    # "有几个维度进了前五" asks how many; it asserts no place in the top N
    asked = ("in_top",) if operation == "count" else ()
    return _unique([p for p in out if not (p["kind"] in ("tier", "class") and (p.get("entity"), p.get("value")) in alone)
                    and p["kind"] not in asked])


def _entity_premise(kind: str, m: re.Match, where, marked, entities, out, edition, dimension) -> list[dict]:
    head = marked[max(0, m.start() - 12):m.start()]
    if kind in _NEGATABLE and any(rx.search(head) for rx in patterns("premise_patterns", "negation")):
        if kind not in _OPPOSITE:
            return []  # "为什么拉萨不是最后一名" asserts the opposite of the claim it contains
        kind = _OPPOSITE[kind]  # "why isn't X in the top 10", "为什么深圳不是第一梯队"
    inside = re.search(r"§E(\d)", m.group(0))  # "第二梯队的天津": the entity the claim names
    before = [name for pos, name in where if pos <= m.start() and name]
    entity = entities[int(inside.group(1))] if inside else before[-1] if before else entities[0]
    dimension = dimension if _dimension_by(where, m.end(), marked) else None  # "是第一吧，它创新产出…": the composite
    if kind == "score_change" and dimension:
        return []  # a dimension's score across editions of other dimensions: no claim to check
    value = None
    if kind in _VALUED or kind in ("score", "change", "score_change"):
        value = _value(kind, m)
        if value is None or kind in _VALUED and value < 1:
            return []
    if any(p["kind"] in ("outside_top", "in_top") for p in out) and kind == "rank":
        return []  # "out of the top 10" is not a claim of rank 10
    if kind == "leader" and any(p["kind"] == "rank" and p["value"] == 1 and p["entity"] == entity
                                and p["dimension"] == dimension for p in out):
        return []  # "排名第一" is one claim, whether read as rank 1 or as the leader
    if kind in ("leader", "rank") and dimension is None and \
            words("dimension_selected")(re.sub(r"§x\d\s*", "", marked.lower())):
        return []  # "which GTII field does Beijing lead?", "在哪个领域排第一": which one is asked, no place in the index claimed
    return [{"kind": kind, "entity": entity, "value": value, "edition": edition,
             "dimension": dimension if kind not in ("tier", "class", "outside_tier", "change", "score_change", "only_tier") else None}]


def standing(text: str, entities: list[str], operation: str, choice: EditionChoice, dimension: str | None,
             found: list[dict], mentions: list[Mention] = ()) -> list[dict]:
    """"Why is Shenzhen so weak in innovation environment?" asserts a weak standing (the answers
    check it against the rank); only when the question asserts nothing else about where it stands.
    Asking for its weak points ("它的短板在哪", "what are its strengths?") asserts none, nor does
    holding it against another of its own measures ("why is that so much lower than its input score?")."""
    low = text.lower()
    polarity = polarity_of(low)
    # "它的短板在哪" asks for its weak spots; "上海的科研人才是短板，为什么" says the dimension named is one
    asked = earliest_category(low, "strengths_asked") and (dimension is None or words("weak_spot_asked")(low)) or \
        words("indicators_asked")(low) and words("weak_spot_asked")(low)
    if operation != "why" or polarity not in ("weak", "strong") or not entities or asked \
            or any(p["kind"] in _STANDING_KINDS for p in found) or standing_of.standards(text, list(mentions)):
        return []
    edition = choice.editions[0] if choice.editions and choice.source != "default" else None
    return _unique([{"kind": polarity, "entity": entities[0], "edition": edition, "dimension": dimension}])


def _bind_years(out: list[dict], claims: list[tuple[int, int, dict]], years: list[tuple[int, int]],
                choice: EditionChoice, marked: str) -> list[dict]:
    """Claims about one entity in a question naming two or more years, each bound to its year's
    edition: "合肥从2019年的第10名升到2020年的第8名" (the year nearest each claim; as many claims
    as years, in order: "from 10th to 8th between 2019 and 2020"); "4th in both 2019 and 2020"
    is a claim about each year."""
    cat = catalogue()
    of_year = {}
    for _, y in years:
        eid = next((e for e in choice.editions if y in (cat.editions[e].year, cat.editions[e].data_year)), None)
        if eid:
            of_year[y] = eid
    firsts: dict[tuple, tuple[int, int, dict]] = {}
    for a, b, p in claims:  # one claim read by two patterns is one claim
        if p["kind"] in _YEAR_BOUND:
            firsts.setdefault(_claim_key(p), (a, b, p))
    bound = list(firsts.values())
    if len(set(of_year.values())) < 2:
        # "why did Hangzhou fall from 6th to 7th?": two places of one entity, no years to put them in
        twice = {(p["kind"], p["entity"]) for _, _, p in bound
                 if len({str(q.get("value")) for _, _, q in bound if (q["kind"], q["entity"]) == (p["kind"], p["entity"])}) > 1}
        return [p for p in out if (p["kind"], p.get("entity")) not in twice or p["kind"] not in _YEAR_BOUND]
    if not bound:
        return out
    placed = [(pos, of_year[y]) for pos, y in years if y in of_year]
    extra: list[dict] = []
    if len(bound) == len(placed):
        chosen = {_claim_key(p): e for (_, _, p), (_, e) in zip(sorted(bound, key=lambda c: c[0]), sorted(placed))}
    else:
        chosen = {_claim_key(p): min(placed, key=lambda y: min(abs(y[0] - a), abs(y[0] - b)))[1] for a, b, p in bound}
        if len(bound) == 1 and any(rx.search(marked) for rx in patterns("premise_patterns", "every_year")):
            p = bound[0][2]
            extra = [{**p, "edition": e} for e in dict.fromkeys(e for _, e in placed) if e != chosen[_claim_key(p)]]
    return [{**p, "edition": chosen[_claim_key(p)]} if _claim_key(p) in chosen else p for p in out] + extra


def _shared(claims: list[tuple[int, int, dict]], marked: str, entities: list[str]) -> list[dict]:
    """"上海和深圳都属于第二梯队": the claim read of the last one named is made of each of them."""
    out = []
    for rx in patterns("premise_patterns", "shared"):
        for m in rx.finditer(marked):
            named = [entities[int(i)] for i in re.findall(r"§E(\d)", m.group("list"))]
            for a, _, p in claims:
                if a >= m.end("list") and p.get("entity") in named and p["kind"] in _YEAR_BOUND:
                    out += [{**p, "entity": e} for e in named if e != p["entity"]]
    return out


def _claim_key(p: dict) -> tuple:
    """One claim, however many patterns read it."""
    return p["kind"], p.get("entity"), str(p.get("value"))


def _dimension_by(where, end: int, marked: str) -> bool:
    """Is a claim ending at ``end`` about the dimension named (before it, or after it in the
    same clause: "came first on innovation base", not "是第一吧，它创新产出多少分")?"""
    return any(name is None and (pos < end or not _CLAUSE.search(marked[end:pos])) for pos, name in where)


def _unique(premises: list[dict]) -> list[dict]:
    seen, out = set(), []
    for p in premises:
        key = tuple(sorted((k, str(v)) for k, v in p.items()))
        if key not in seen:
            seen.add(key)
            out.append({k: v for k, v in p.items() if v is not None})
    return out
