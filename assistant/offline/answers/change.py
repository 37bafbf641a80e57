"""change: between periods. For a quarterly index, what the report states about the entity
against the previous quarter (or which entity rose or fell most); for an entity in several
editions, its rank in each, with the caveat that methods differ; for no entity and two editions
of a city index, who moved up or down between them (or is in the top N of both)."""
from __future__ import annotations

from ...tools import ToolRunner
from ..frame import Frame
from . import editions
from .blocks import Bullets, Chart, Cite, Dim, Ed, Ent, Fallback, Join, Line, Num, P
from .entity import edition_line
from .facts import claim, has_word, value_phrase
from .scores import composite, count, measure_cite, rank, score, source_cite
from ..understand.lexicon import patterns, words
from .vocab import rules


def handle(frame: Frame, tools: ToolRunner):
    quarterly = [e for e in (frame.editions or ()) if editions.period(e)]
    if frame.period or quarterly or (not frame.entities and frame.editions and editions.period(frame.editions[0])):
        eid = quarterly[0] if quarterly else editions.pick(frame)
        if not editions.period(eid):
            return Fallback("narrative", "no quarterly edition: the reports' text answers")
        return _quarter(frame, tools, eid)
    pair = _comparable(frame.editions or ())
    if not frame.entities and pair:  # "哪些城市2020年比2019年排名下降了": every city's move between the two
        return _movers(frame, tools, *pair)
    if not frame.entities:
        return Fallback("narrative", "no entity: the reports' text answers")
    return _across_editions(frame, tools, frame.entities[0])


def _comparable(eids: tuple[str, ...]) -> tuple[str, str] | None:
    """The earliest and latest of the editions named that rank the same kind of entity, if two do."""
    ranked = sorted((e for e in eids if not editions.period(e)), key=lambda e: (editions.year(e), e))
    same = [e for e in ranked if ranked and editions.kind(e) == editions.kind(ranked[-1])]
    return (same[0], same[-1]) if len(same) >= 2 and same[0] != same[-1] else None


def _movers(frame: Frame, tools: ToolRunner, a: str, b: str) -> list:
    """Between two editions: who is in the top N of both (when asked), else who climbed (or fell)
    most, then every mover of that kind; ranks only, with the editions' caveat."""
    cid, res = tools.ok("moves", edition=a, other=b, **({"top": frame.n} if frame.n else {}))
    if not res:
        return [Line(P("gap.failed", edition=Ed(b)))]
    kw = {"a": Ed(a), "b": Ed(b)}

    def item(r: dict) -> P:
        way = "moves.up" if r["move"] > 0 else "moves.down" if r["move"] < 0 else "moves.same"
        return P("moves.item", entity=Ent(r["name"]), ra=rank(r["rank"], "rank", cid, entity=r["name"], edition=a),
                 rb=rank(r["other_rank"], "rank", cid, entity=r["name"], edition=b),
                 way=P(way, move=count(abs(r["move"]), "places moved", cid)),
                 cites=Join([c for c in map(source_cite, (r["sources"]["rank"], r["sources"]["other_rank"])) if c], "sep.space"))

    if frame.n and "both_top" in res:
        both = res["both_top"]
        out = [Line(P("moves.both_top", n=count(frame.n, "places asked", cid), k=count(len(both), "entities", cid),
                      members=Join([Ent(r["name"]) for r in both], "sep.list"), **kw)), Bullets(item(r) for r in both)]
    else:
        fall = frame.direction == "bottom"
        movers = [r for r in res["entities"] if (r["move"] < 0 if fall else r["move"] > 0)]
        movers.sort(key=lambda r: (r["move"] if fall else -r["move"], r["other_rank"]))
        if not movers:
            return [Line(P("moves.none_fell" if fall else "moves.none_rose", **kw)), Line(P("change.caveat"))]
        most = [r for r in movers if r["move"] == movers[0]["move"]]
        out = [Line(P("moves.most_fell" if fall else "moves.most_rose", entity=Join([Ent(r["name"]) for r in most], "sep.list"),
                      move=count(abs(most[0]["move"]), "places moved", cid),
                      k=count(res["fell" if fall else "rose"], "entities", cid),
                      common=count(res["common"], "entities in both editions", cid), **kw)),
               Bullets(item(r) for r in movers)]
    return out + [Line(P("change.caveat"))]


def _quarter(frame: Frame, tools: ToolRunner, eid: str) -> list:
    cue = rules()["change"]
    # a name that is not one of the edition's entities (重庆 in 重庆区县双创指数) names the index, not a subject
    frame = frame.model_copy(update={"entities": tuple(e for e in frame.entities if e in editions.members(eid))})
    cid, res = tools.ok("facts", edition=eid, **({"entity": frame.entities[0]} if frame.entities else {}))
    rows = (res or {}).get("facts", [])
    labels = [editions.dimension_label(eid, k, "zh") for k in editions.dimension_keys(eid)]
    stated = rows  # every statement, the drivers of a sub-index's move among them
    if frame.dimension:
        stem = editions.dimension_label(eid, frame.dimension, "zh")
        rows = [r for r in rows if stem in r["indicator_zh"]]
    else:  # the composite: statements that name no sub-index
        rows = [r for r in rows if not has_word(claim(r), labels)] or rows
    changes = [r for r in rows if has_word(r["indicator_zh"], cue["previous_period"])]
    if not frame.entities and frame.aspect in ("count", "average"):
        whole = _whole_index(frame, rows, cid, eid)
        if whole:
            return whole
    if not frame.entities:  # who rose / fell the most
        fall = frame.direction == "bottom"
        want = cue["fall"] if fall else cue["rise"]
        largest = [r for r in changes if has_word(r["indicator_zh"], cue["largest"]) and has_word(claim(r), want)]
        if not largest:
            return Fallback("narrative", "the report states no largest change for this measure")
        ent = largest[0]["entity"]
        same = [r for r in largest if r["entity"] == ent]
        # the same entity's other "largest" claims: where the report contradicts itself, both are shown
        other = [r for r in changes if r["entity"] == ent and r not in same and has_word(r["indicator_zh"], cue["largest"])]
        out = [Line(P("change.largest_fall" if fall else "change.largest_rise", edition=Ed(eid), entity=Ent(ent),
                      item=value_phrase(same[0], cid, ent, eid)))]
        if same[1:] or other:
            out.append(Bullets(value_phrase(r, cid, ent, eid) for r in same[1:] + other))
        return out + _drivers(frame, stated, same + other, labels, cid, eid) + _this_quarter(tools, eid, ent)
    ent = frame.entities[0]
    if not changes:
        return Fallback("lookup", "the report states no previous-quarter value", {"period": None},
                        keep=(Line(P("change.none_stated", entity=Ent(ent), edition=Ed(eid))),))
    levels = [r for r in changes if not has_word(claim(r), cue["rise"] + cue["fall"])]
    moves = [r for r in changes if r not in levels]
    low = frame.question.lower()
    if not frame.dimension and (words("dimension_selected")(low) or any(rx.search(low) for rx in patterns("dimension_selected_patterns"))) and \
            (most := _sub_index_most(frame, tools, stated, labels, cid, ent, eid)):
        return most  # "它哪个分项掉得最厉害": the sub-index that moved most that way
    if frame.aspect == "rank":
        moved = _rank_move(frame, tools, eid, ent, [r for r in levels if has_word(claim(r), cue["rank"])], cid)
        if moved:
            rest = [r for r in moves if has_word(r["indicator_zh"], cue["largest"]) or not has_word(claim(r), cue["rank"])]
            return moved + ([Bullets(value_phrase(r, cid, ent, eid) for r in rest[:4])] if rest else [])
    # the index's own score first (a score, not a rank or a sub-measure), a move the way the question
    # says before one the other way ("为什么下降": the fall first), its level before its move
    way = "fall" if words("movement", "fall")(low) or frame.direction == "bottom" else \
        "rise" if words("movement", "rise")(low) or frame.direction == "top" else None  # "why?" after who fell most
    ordered = sorted(levels + moves, key=lambda r: (not has_word(claim(r), cue["composite"]),
                                                    way is not None and not has_word(claim(r), cue[way]), r in moves))
    moved = _moved(tools, eid, ent, frame.dimension)
    if moved:  # "涨了多少": from what, to what, by how much, first
        ordered = [r for r in ordered if int(r["line"]) not in moved[1]]
        out = [moved[0]]
    else:
        first, *ordered = ordered
        out = [Line(P("change.quarter_lead", entity=Ent(ent), edition=Ed(eid), item=value_phrase(first, cid, ent, eid)))]
        if not frame.dimension:  # where it stands now, beside what it moved from or by
            out += _this_quarter(tools, eid, ent)
    rest = ordered
    if rest:
        out.append(Bullets(value_phrase(r, cid, ent, eid) for r in rest[:5]))
    return out + (_drivers(frame, stated, moves, labels, cid, eid) if frame.dimension else _parts_moved(frame, stated, labels, cid, ent, eid))


def _parts_moved(frame: Frame, stated: list[dict], labels: list[str], cid: str, ent: str, eid: str) -> list:
    """"荣昌区为什么下降": a total's move asked why, answered by the moves the report states for its
    sub-indices (the total is their sum)."""
    cue = rules()["change"]
    if not any(w in frame.question.lower() for w in rules()["reason_words"]):
        return []
    parts = [r for r in stated if r["entity"] == ent and has_word(r["indicator_zh"], labels) and
             has_word(r["indicator_zh"], cue["previous_period"]) and has_word(claim(r), cue["rise"] + cue["fall"])]
    return [Line(P("change_driver.sub_indices")), Bullets(value_phrase(r, cid, ent, eid) for r in parts)] if parts else []


def _sub_index_most(frame: Frame, tools: ToolRunner, stated: list[dict], labels: list[str], cid: str, ent: str,
                    eid: str) -> list:
    """Of one entity's stated sub-index moves against the previous quarter, the largest fall (the
    question says a fall), rise (a rise) or either (neither said); its rank now and the quarter
    before where printed; then the other moves."""
    cue = rules()["change"]
    moves = [r for r in stated if r["entity"] == ent and has_word(r["indicator_zh"], labels) and
             has_word(r["indicator_zh"], cue["previous_period"]) and has_word(claim(r), cue["rise"] + cue["fall"])
             and r.get("value") is not None]
    low = frame.question.lower()
    way = "fall" if words("movement", "fall")(low) else "rise" if words("movement", "rise")(low) else None
    picked = [r for r in moves if way is None or has_word(claim(r), cue[way])]
    if not picked:
        return []
    top = max(picked, key=lambda r: float(r["value"]))
    key = "change.sub_index_fall" if has_word(claim(top), cue["fall"]) else "change.sub_index_rise"
    dim = next(k for k, label in zip(editions.dimension_keys(eid), labels) if label in top["indicator_zh"])
    out = [Line(P(key, edition=Ed(eid), entity=Ent(ent), dim=Dim(eid, dim), item=value_phrase(top, cid, ent, eid)))]
    scid, sres = tools.ok("scores", edition=eid, entity=ent)
    now = ((sres or {}).get("dimensions") or {}).get(dim) or {}
    if now.get("rank") is not None:
        out.append(Line(P("change.sub_index_rank", dim=Dim(eid, dim), cite=measure_cite(sres, f"{dim}.rank") or "",
                          rank=rank(now["rank"], f"{dim} rank", scid, entity=ent, edition=eid, dimension=dim))))
    before = [r for r in stated if r["entity"] == ent and labels[editions.dimension_keys(eid).index(dim)] in r["indicator_zh"]
              and has_word(r["indicator_zh"], cue["rank"]) and r not in moves]
    rest = before + [r for r in moves if r is not top]
    return out + ([Bullets(value_phrase(r, cid, ent, eid) for r in rest)] if rest else [])


def _drivers(frame: Frame, stated: list[dict], moves: list[dict], labels: list[str], cid: str, eid: str) -> list:
    """The indicator changes the report prints right after a sub-index's rise or fall, for the same
    entity ("其增幅较大的指标为社会关注度…增长了31.79%"): what drove it. When the question asks why and
    the report names no driver, the answer says so rather than guessing."""
    window = int(rules()["change_driver_lines"])
    cue = rules()["change"]
    found = [r for r in stated if r not in moves and not has_word(claim(r), labels) and has_word(r["indicator_zh"], cue["previous_period"])
             and not has_word(r["indicator_zh"], cue["largest"])  # another sub-index's or entity's own claim, not a driver
             and any(m["entity"] == r["entity"] and m["source_file"] == r["source_file"] and
                     0 < int(r["line"]) - int(m["line"]) <= window for m in moves)]
    if found:
        return [Line(P("change_driver.stated")), Bullets(value_phrase(r, cid, r["entity"], eid) for r in found)]
    asked = frame.question.lower()
    if any(w in asked for w in rules()["reason_words"]):
        return [Line(P("change_driver.none"))]
    return []


def _whole_index(frame: Frame, rows: list[dict], cid: str, eid: str) -> list:
    """"How many districts rose?", "the average change": the report's statements about all the
    edition's entities (made of no member), the count first when the question asks how many."""
    members = editions.members(eid)
    whole = [r for r in rows if r["entity"] not in members]
    if not whole:
        return []
    counts_first = frame.aspect == "count"
    whole.sort(key=lambda r: (r.get("unit") == "个") != counts_first)
    first, *rest = whole
    out = [Line(P("change.whole_lead", edition=Ed(eid), item=value_phrase(first, cid, first["entity"], eid)))]
    if rest:
        out.append(Bullets(value_phrase(r, cid, r["entity"], eid) for r in rest))
    return out


def _rank_move(frame: Frame, tools: ToolRunner, eid: str, ent: str, before_rows: list[dict], fcid: str) -> list:
    """The entity's rank this quarter (on the dimension asked, else overall) against the previous
    quarter's rank the report states."""
    if not before_rows:
        return []
    scid, now = tools.ok("scores", edition=eid, entity=ent)
    measure = now and (now.get("dimensions", {}).get(frame.dimension) if frame.dimension else {"rank": now.get("rank")})
    after = (measure or {}).get("rank")
    if after is None:
        return []
    before = before_rows[0]
    b = before.get("stated_rank") if before.get("stated_rank") is not None else int(float(before["value"]))
    key = "change.quarter_rank_up" if after < b else "change.quarter_rank_down" if after > b else "change.quarter_rank_same"
    by = Dim(eid, frame.dimension) if frame.dimension else P("compare.composite")
    now_cite = measure_cite(now, f"{frame.dimension}.rank" if frame.dimension else "rank")
    cites = [Cite(before["source_file"], int(before["line"]), needles=(str(before["printed"]),))] + ([now_cite] if now_cite else [])
    return [Line(P(key, edition=Ed(eid), entity=Ent(ent), by=by,
                   before=rank(b, "previous-quarter rank", fcid, entity=ent, edition=eid, dimension=frame.dimension),
                   after=rank(after, "rank", scid, entity=ent, edition=eid, dimension=frame.dimension),
                   cites=Join(cites, "sep.space")))]


def _moved(tools: ToolRunner, eid: str, ent: str, dim: str | None) -> tuple[Line, set[int]] | None:
    """The move from the previous quarter as one sentence (before, now, points, per cent), with the
    facts.csv lines it states; ``None`` when the report's statements do not give one (or disagree)."""
    mcid, m = tools.ok("period_change", edition=eid, entity=ent, **({"by": dim} if dim else {}))
    if not m or m.get("change") is None:
        return None
    scid, now = tools.ok("scores", edition=eid, entity=ent)
    stated = [Cite(s["source_file"], int(s["line"]), needles=(s["printed"],)) for s in m["statements"]]
    now_cite = measure_cite(now or {}, f"{dim}.score" if dim else "composite")
    kw = dict(entity=Ent(ent), edition=Ed(eid), by=Dim(eid, dim) if dim else P("compare.composite"),
              before=score(m["previous"], "previous-quarter score", mcid, entity=ent, edition=eid, dimension=dim),
              now=score(m["now"], "score", mcid, entity=ent, edition=eid, dimension=dim),
              change=score(abs(m["change"]), "change from the previous quarter", mcid, entity=ent, edition=eid, dimension=dim),
              rate=Num(abs(m["rate"]), "change from the previous quarter (%)", mcid, kind="value", decimals=2, entity=ent,
                       edition=eid, dimension=dim),
              cites=Join(stated + ([now_cite] if now_cite else []), "sep.space"))
    key = "change.moved_up" if m["change"] > 0 else "change.moved_down" if m["change"] < 0 else "change.moved_none"
    return Line(P(key, **kw)), {int(s["line"]) for s in m["statements"]}


def _this_quarter(tools: ToolRunner, eid: str, ent: str) -> list:
    scid, now = tools.ok("scores", edition=eid, entity=ent)
    comp = composite(now, scid) if now else None
    if comp is None:
        return []
    return [Line(P("change.this_quarter", composite=comp, cite=measure_cite(now, "composite") or ""))]


def _across_editions(frame: Frame, tools: ToolRunner, ent: str) -> list:
    cid, res = tools.ok("entity_editions", entity=ent)
    eds = (res or {}).get("editions", [])
    if frame.editions and len(frame.editions) >= 2:
        eds = [e for e in eds if e["edition"] in frame.editions] or eds
    if not eds:
        return [Line(P("change.no_editions", entity=Ent(ent)))]
    eds = sorted(eds, key=lambda e: (editions.year(e["edition"]), e["edition"]))
    ranked = [e for e in eds if e.get("rank") is not None]
    # a rank moves only between editions that rank the same kind of entity (not GTII's global cities vs China's)
    newest_kind = editions.kind(ranked[-1]["edition"]) if ranked else None
    comparable = [e for e in ranked if editions.kind(e["edition"]) == newest_kind]
    out: list = []
    if len(comparable) >= 2:
        a, b = comparable[0], comparable[-1]
        key = "change.rank_up" if b["rank"] < a["rank"] else "change.rank_down" if b["rank"] > a["rank"] else "change.rank_same"
        out.append(Line(P(key, entity=Ent(ent), a=Ed(a["edition"]), b=Ed(b["edition"]),
                          ra=rank(a["rank"], "rank", cid, entity=ent, edition=a["edition"]),
                          na=count(a["of"], "entities in edition", cid, edition=a["edition"]),
                          rb=rank(b["rank"], "rank", cid, entity=ent, edition=b["edition"]),
                          nb=count(b["of"], "entities in edition", cid, edition=b["edition"]))))
    else:
        out.append(Line(P("change.across_lead", entity=Ent(ent))))
    out.append(Bullets(edition_line(tools, ent, e, cid) for e in eds))
    missing = [m for m in frame.editions if m not in {e["edition"] for e in eds}]
    out += [Line(P("change.not_in", edition=Ed(m), entity=Ent(ent))) for m in missing]
    out.append(Line(P("change.caveat")))
    if ranked:
        out.append(Chart("bar", P("change.chart_title", entity=Ent(ent)), tuple(Ed(e["edition"]) for e in ranked),
                         ((P("change.chart_series"), tuple(e["rank"] for e in ranked)),)))
    return out
