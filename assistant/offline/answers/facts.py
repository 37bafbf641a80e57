"""Shared pieces for raw indicator values the reports state (the core's facts tables): pick the
rows an indicator question means, and say each value as printed, with its year, stated rank,
unit and line; a printed typo ("2,73%") is quoted as printed with its reading."""
from __future__ import annotations

import functools
import re

from ... import retrieval
from ...tools import ToolRunner
from ..frame import Frame
from ..understand.lexicon import earliest_category, words
from . import editions, passages, text_asked
from .blocks import Bullets, Cite, Ent, Fallback, Line, Local, Num, P, Verbatim, Warn
from .scores import count, rank
from .vocab import rules


def decimals(printed: str) -> int:
    t = str(printed).strip().rstrip("%")
    m = re.search(r"[.,](\d{1,2})$", t) if re.fullmatch(r"\d+,\d{1,2}", t) else re.search(r"\.(\d+)$", t.replace(",", ""))
    return len(m.group(1)) if m else 0


def _bigrams(text: str) -> set[str]:
    t = re.sub(r"\s+", "", text.lower())
    return {t[i:i + 2] for i in range(len(t) - 1)}


def _word_score(w: str, zh: str, en: str) -> float:
    if w in (zh, en):
        return 3.0
    if w in zh or w in en or zh in w:
        return 2.0
    a, b = _bigrams(w), _bigrams(zh) | _bigrams(en)
    return len(a & b) / max(1, len(a))


def match(rows: list[dict], wanted: str) -> list[dict]:
    """The rows whose indicator the words ``wanted`` name: the whole phrase or any of its
    space-separated words, exactly, contained, or by shared bigrams; ties all kept (at most 4)."""
    words = [w for w in {re.sub(r"\s+", "", wanted.lower()), *wanted.lower().split()} if len(w) >= 2]
    if not words:
        return []
    scored = []
    for i, r in enumerate(rows):
        zh, en = r["indicator_zh"].lower(), (r.get("indicator_en") or "").lower()
        s = max(_word_score(w, zh, en) for w in words)
        if s >= 0.5:
            scored.append((s, i, r))
    if not scored:
        return []
    top = max(s for s, _, _ in scored)
    return [r for s, i, r in sorted(scored, key=lambda x: (-x[0], x[1])) if s >= top * 0.8][:4]


def has_word(text: str, words: list[str]) -> bool:
    """Does ``text`` contain any of ``words`` (cue words of rules.yaml, matched as substrings)?"""
    return any(w in text for w in words)


def claim(row: dict) -> str:
    """The measure a stated change is about, without the report's annotation in brackets."""
    return row["indicator_zh"].split("（")[0]


def unit(r: dict) -> Local:
    u = r.get("unit") or ""
    return Local(u, rules()["units_en"].get(u, f" {u}" if u else ""))


def value_phrase(r: dict, cid: str, ent: str, eid: str | None = None, dimension: str | None = None) -> P:
    """The value as printed (with its reading when the print is a typo), unit, year and stated rank."""
    eid = eid or r.get("edition")
    # unit "" when the report gives none: an indicator's figure, never read as the composite (notes.used)
    v = Num(value=r["value"], label=r.get("indicator_en") or r["indicator_zh"], source=cid, decimals=decimals(r["printed"]),
            unit=r.get("unit") or "", entity=ent, edition=eid, dimension=dimension)
    amount = P("facts.amount", value=v, unit=unit(r))
    canonical = f"{float(r['value']):.{decimals(r['printed'])}f}"
    if str(r["printed"]).replace(" ", "") != canonical:
        amount = P("facts.printed_as", printed=str(r["printed"]), unit=unit(r), reading=amount)
    rk = ""
    if r.get("stated_rank") is not None:
        rk = P("facts.rank", rank=rank(r["stated_rank"], f"{r.get('indicator_en')} rank", cid, entity=ent, edition=eid, unit=""))
        n = editions.spec(eid).entity_count.value if eid else None
        if n and r["stated_rank"] == n:
            rk = P("facts.rank_last", rank=rk.slots["rank"], of=count(n, "entities in edition", cid, edition=eid))
    year = P("facts.year", year=str(r["year"])) if r.get("year") else ""
    return P("facts.item", indicator=Local(r["indicator_zh"], f"{r.get('indicator_en') or r['indicator_zh']} ({r['indicator_zh']})"),
             amount=amount, year=year, rank=rk, cite=Cite(r["source_file"], int(r["line"]), needles=(str(r["printed"]),)))


def worded(r: dict, cid: str, ent: str, eid: str | None = None, dimension: str | None = None) -> P:
    """:func:`value_phrase`, with the report's own sentence for it where that says more than the
    name and the value: other words for it ("深圳市拥有0所中央级高校" for 中央级普通高等学校数量: 0)
    or another figure beside it ("…为5家，占全国首批29家的17.24%")."""
    eid = eid or r.get("edition")
    phrase = value_phrase(r, cid, ent, eid, dimension)
    said = passages.clause(r["source_file"], int(r["line"]), r["printed"])
    if not said:
        return phrase
    name, printed = r["indicator_zh"], str(r["printed"]).strip()
    rest = re.sub(rf"(?<![\d.]){re.escape(printed)}(?![\d.])", " ", said.replace(name, " "))
    rest = rest.replace(r["unit"], " ") if r.get("unit") else rest  # (replacing "" would space out every character)
    known = {f"{float(x):g}" for x in (r.get("stated_rank"), editions.spec(eid).entity_count.value if eid else None)
             if x is not None}  # the rank and the count it is out of are said already
    more = any(f"{float(n):g}" not in known for n in re.findall(r"\d+(?:\.\d+)?", re.sub(r"(?:19|20)\d\d年", " ", rest)))
    other_words = name not in said and any(name[i:i + 2] in rest for i in range(len(name) - 1))
    if not (more or other_words):
        return phrase
    return P("facts.worded", fact=phrase, words=Verbatim(said, Cite(r["source_file"], int(r["line"]), needles=(printed,))))


def indicator_answer(frame: Frame, tools: ToolRunner):
    """The indicator values the question asks about, first sentence first."""
    ent = frame.entities[0]
    named = frame.editions and frame.edition_source not in (None, "default")
    args = {"entity": ent, **({"edition": frame.editions[0]} if named else {})}
    cid, res = tools.ok("facts", **args)
    rows = match((res or {}).get("facts", []), frame.indicator or frame.topic or "")
    if not rows and named and frame.indicator:  # "2018年西安新增…": a data year, not the edition it named
        cid, res = tools.ok("facts", entity=ent)
        rows = [r for r in match((res or {}).get("facts", []), frame.indicator) if frame.year is None or r.get("year") == frame.year]
    if not rows:
        return Fallback("narrative", "indicator not in the facts tables: the reports' text",
                        {"topic": None, "indicator": None, "aspect": None},
                        keep=_stated_elsewhere(frame, tools, ent) + (Warn("indicator value not stated"),))
    years = {int(y[:4]) for y in stated_year().findall(frame.question)}
    order = {k: i for i, k in enumerate(dict.fromkeys(r["indicator_zh"] for r in rows))}
    # "in 2017": that year's value first; else each indicator's latest first, then its history
    rows.sort(key=lambda r: (r.get("year") not in years, order[r["indicator_zh"]], -(r.get("year") or 0)))
    first, *more = rows
    out: list = [Line(P("facts.lead", entity=Ent(ent), item=worded(first, cid, ent)))]
    if more:
        out.append(Bullets(worded(r, cid, ent) for r in more))
    others = {claim(r) for r in (res or {}).get("facts", [])} - {claim(r) for r in rows}
    clauses = beside(frame, rows, others)
    low = frame.question.lower()
    if clauses and (words("share_asked")(low) or words("ratio_asked")(low)):
        # "what share of the national total": the report's clause that gives it is the answer, first
        piece, cite = clauses.pop(0)
        out = [Line(P("facts.clause_lead", entity=Ent(ent), quote=Verbatim(piece, cite), cite=cite))] + out
    out += [Line(P("quote.also", quote=Verbatim(piece, cite), cite=cite)) for piece, cite in clauses]
    # "增加了多少家": the move first, then the values it is between
    return moved(frame, rows, (res or {}).get("changes") or [], cid) + out + said_elsewhere(frame, tools, rows)


def said_elsewhere(frame: Frame, tools: ToolRunner, rows: list[dict]) -> list:
    """A figure the question puts forward that none of the place's values is ("渝北区众创空间是322家吗":
    42): where the reports print it beside the indicator's words ("有各类众创空间322家", the whole city's),
    quoted with its lines, so the mix-up shows; nothing when no line near the indicator prints it.
    (Retrieval does not weigh numbers, so the reports' lines are read directly: a line and the next,
    as the PDFs wrap a sentence.)"""
    held = {float(r["value"]) for r in rows}
    # a number glued to letters is a name or a unit ("per 10k residents", "Q3"), not a figure put forward
    asked = [x for x in re.findall(r"(?<![\d.A-Za-z])\d+(?:\.\d+)?(?![\d.A-Za-z])", stated_year().sub(" ", frame.question))
             if float(x) not in held and float(x) != 0]
    name = claim(rows[0])
    for suffix in rules()["count_suffixes"]:  # "众创空间数" is printed "众创空间322家"
        name = name.removesuffix(suffix)
    pieces = {name[i:i + 2] for i in range(len(name) - 1)}
    out: list = []
    for value in asked[:2]:
        number = re.compile(rf"(?<![\d.]){re.escape(value)}(?![\d.])")
        for f in retrieval.report_files():
            text = retrieval.lines(f, 1, 10**9)
            hit = next((i for i, ln in enumerate(text) if number.search(ln) and
                        sum(p in re.sub(r"\s+", "", "".join(text[max(0, i - 2):i + 1])) for p in pieces) >= len(pieces)), None)
            if hit is not None:
                first = max(0, hit - 2)
                while first < hit and not text[first].strip():
                    first += 1
                piece = next(c for c in re.split(r"[，。；]", re.sub(r"\s+", "", "".join(text[first:hit + 1]))) if number.search(c))
                cite = Cite(f, first + 1, hit + 1, quote=piece)
                out.append(Line(P("facts.said_elsewhere", value=Verbatim(value, cite), sentence=Verbatim(piece, cite), cite=cite)))
                break
    return out


def moved(frame: Frame, rows: list[dict], changes: list[dict], cid: str) -> list:
    """How much the value moved between the years the report states it for, when the question asks
    for a change ("2012到2017年增加了多少家" → 8467 = 10973 − 2506): the facts tool's ``changes``."""
    low = frame.question.lower()
    # "2017年比2012年多了多少": "多了" between two years is a change; alone ("比80分多了多少") it is a gap
    between_years = len(set(stated_year().findall(frame.question))) >= 2 and has_word(low, rules()["more_or_less"])
    if not earliest_category(low, "movement") and not words("cues", "change")(low) and not between_years:
        return []
    out = []
    for c in changes:
        r = next((r for r in rows if r["indicator_zh"] == c["indicator_zh"] and r["edition"] == c["edition"]), None)
        if r is None:
            continue
        ent, amount = r["entity"], abs(c["change"])
        out.append(Line(P("facts.moved_up" if c["change"] >= 0 else "facts.moved_down",
                          indicator=Local(r["indicator_zh"], r.get("indicator_en") or r["indicator_zh"]),
                          start=str(c["from_year"]), end=str(c["to_year"]), unit=unit(r),
                          amount=Num(value=amount, label=f"{r.get('indicator_en') or r['indicator_zh']} change", source=cid,
                                     decimals=decimals(r["printed"]), entity=ent, edition=r["edition"]))))
    return out


@functools.lru_cache(maxsize=1)
def stated_year() -> re.Pattern:
    """A year, said with or without 年, not a count ("高新技术企业总数达到 2012 家", rules.yaml
    ``count_units``): no figure of the question or of the text."""
    units = "".join(map(re.escape, rules()["count_units"]))
    return re.compile(rf"(?:19|20)\d\d(?![\d.])(?!\s*[{units}])\s*年?")
_FIGURE = re.compile(r"\d")


def _asked_words(frame: Frame, known: str) -> list[str]:
    """The report's words for what the question asks beyond the names and the indicator it links,
    rare enough to tell a clause apart: Chinese words as they are, an English word by its glossary
    terms, none of them when one of those is already said ("national" → 国家 of 国家高新技术企业数)."""
    question = frame.question
    for link in frame.links:
        if link.kind in ("indicator", "dimension") and link.surface:
            question = question.replace(link.surface, " ")
    rest = text_asked.left(frame.model_copy(update={"question": question}))
    groups = [[w] for w in passages.terms(" ".join(re.findall(r"[\u3400-\u9fff]+", rest)))]
    groups += [list(passages.terms(w)) for w in re.findall(r"[A-Za-z][\w&'-]*", rest)]
    groups += [list(v) for k, v in passages.synonyms().items() if " " in k and k in rest.lower()]  # "each year" → 年均
    rare = float(text_asked.vocabulary()["rare_piece"])
    return [w for g in groups if not any(x in known for x in g)
            for w in g if not w.isascii() and len(w) >= 2 and passages.idf(w) >= rare]


def beside(frame: Frame, rows: list[dict], others: set[str] = frozenset()) -> list[tuple[str, Cite]]:
    """The report's clauses next to the stated values that answer more of the question than the
    values do: "相当于全国平均水平的几倍" → "2017年万人发明专利拥有量为全国平均水平（9.75件）的近9倍",
    "what share of China's…" → "…占全国（130632家）的5.74%". A clause qualifies when it prints a
    figure and holds rare words of the question (:func:`_asked_words`) that neither the quoted
    clauses, the indicators' names nor the place's names hold, and names none of the ``others``
    indicators of the place (that clause is about another measure); the one holding most is quoted,
    with its line, then one more that holds a word the first does not: (clause, citation) pairs."""
    said = " ".join(filter(None, (passages.clause(r["source_file"], int(r["line"]), r["printed"]) for r in rows)))
    suffixes = passages.sentence_vocabulary()["place_suffixes"]
    known = " ".join([said, *(r["indicator_zh"] for r in rows), *frame.entities, *(e.rstrip(suffixes) + "市" for e in frame.entities)])
    asked = _asked_words(frame, known)
    found: list[tuple[frozenset, str, str, int]] = []
    for f, line in dict.fromkeys((r["source_file"], int(r["line"])) for r in rows):
        for sentence in passages.SENTENCE_END.split(retrieval.line_text(f, line)):
            for piece in (p.strip() for p in re.split(r"[，,]", sentence)):
                held = frozenset(w for w in asked if w in piece)
                if held and piece not in said and not any(o in piece for o in others) and _FIGURE.search(stated_year().sub(" ", piece)):
                    found.append((held, piece, f, line))
    found.sort(key=lambda x: -sum(len(w) for w in x[0]))
    out: list = []
    covered: frozenset = frozenset()
    for held, piece, f, line in found:
        if not held <= covered and len(out) < 2:
            out.append((piece, Cite(f, line, quote=piece)))
            covered |= held
    return out


def _stated_elsewhere(frame: Frame, tools: ToolRunner, ent: str) -> tuple:
    """"深圳有几家科创板上市企业" when the report states it for other places only: that it is not
    stated for the entity, first, then the places it is stated for (at most 4, with their lines)."""
    if not frame.indicator or _in_text_about(tools, ent, frame.indicator):
        return ()  # the text states it for the entity (a survey's figure): the passage answers, nothing is missing
    cid, res = tools.ok("facts")
    rows = [r for r in latest(match((res or {}).get("facts", []), frame.indicator)) if r["entity"] != ent]
    if not rows:
        return ()
    return (Line(P("facts.not_stated", entity=Ent(ent), indicator=Local(rows[0]["indicator_zh"], rows[0].get("indicator_en") or
                                                                          rows[0]["indicator_zh"]),
                   n=count(len({r["entity"] for r in rows}), "entities stated", cid))),
            Bullets(P("facts.entity_item", entity=Ent(r["entity"]), item=value_phrase(r, cid, r["entity"])) for r in rows[:4]))


def _in_text_about(tools: ToolRunner, ent: str, indicator: str) -> bool:
    """Does a passage about ``ent`` state a figure for ``indicator`` (its name without the brackets)?"""
    core = re.sub(rules()["count_suffix"], "", re.split(r"[（(]", indicator)[0])  # 高新技术企业数: 高新技术企业…有2012家
    hits = passages.search(tools, f"{ent} {core}", k=4, entity=ent)
    return bool(passages.best(hits, f"{ent} {core}", k=1, keep=lambda t: _names(t, core) and bool(re.search(r"\d", t))))


def _names(text: str, core: str) -> bool:
    """Does ``text`` name the measure ``core``, as written or with a word between ("基础性研究经费" for 基础研究经费):
    three in four of its character pairs?"""
    pairs = _bigrams(core)
    return core in text or len(pairs) >= 3 and len(pairs & _bigrams(text)) >= 0.75 * len(pairs)


def dimension_of(eid: str, row: dict) -> str | None:
    """The dimension a stated indicator belongs to: by its number in the spec, else by name overlap."""
    spec = editions.spec(eid)
    if row.get("indicator_no"):
        for i in spec.indicators:
            if str(i.no) == str(row["indicator_no"]):
                return i.dimension
    name = _bigrams(row["indicator_zh"])
    best, best_share = None, 0.0
    for i in spec.indicators:
        share = len(name & _bigrams(i.zh)) / max(1, len(name))
        if share > best_share:
            best, best_share = i.dimension, share
    return best if best_share >= 0.5 else None


def latest(rows: list[dict]) -> list[dict]:
    """One row per indicator: the latest year the report states (earlier years are its history)."""
    keep: dict[str, dict] = {}
    for r in rows:
        k = r["indicator_zh"]
        if k not in keep or (r.get("year") or 0) > (keep[k].get("year") or 0):
            keep[k] = r
    return [r for r in rows if keep[r["indicator_zh"]] is r]


def leader_answer(frame: Frame, tools: ToolRunner, bottom: bool):
    """"Which city has the most state key laboratories?": among the values the reports state for
    the indicator (one indicator, year and unit), the one the report ranks first, else the
    highest stated, said as "among the cities whose value the report states"."""
    named = frame.editions[0] if frame.editions and frame.edition_source not in (None, "default") else None
    cid, res = tools.ok("facts", **({"edition": named} if named else {}))
    rows = match((res or {}).get("facts", []), frame.indicator or "")
    if not rows:
        return Fallback("narrative", "indicator not in the facts tables: the reports' text", {"indicator": None})
    groups: dict[tuple, list[dict]] = {}
    names = {r["indicator_zh"] for r in rows}
    for r in (res or {}).get("facts", []):
        if r["indicator_zh"] in names:
            groups.setdefault((r["edition"], r["indicator_zh"], r.get("year"), r.get("unit")), []).append(r)
    # the values comparable with each other: one indicator, year and unit; the most cities, the latest year
    same = max(groups.values(), key=lambda g: (len({r["entity"] for r in g}), g[0].get("year") or 0))
    ranked = [r for r in same if r.get("stated_rank") is not None]
    if ranked and not bottom and min(r["stated_rank"] for r in ranked) == 1:
        top = min(ranked, key=lambda r: r["stated_rank"])
        return [Line(P("facts.leader_stated", entity=Ent(top["entity"]), item=value_phrase(top, cid, top["entity"])))]
    same.sort(key=lambda r: float(r["value"]), reverse=not bottom)
    top = same[0]
    return [Line(P("facts.lowest_stated" if bottom else "facts.highest_stated", entity=Ent(top["entity"]),
                   n=count(len({r["entity"] for r in same}), "entities stated", cid),
                   item=value_phrase(top, cid, top["entity"]))),
            Bullets(P("facts.entity_item", entity=Ent(r["entity"]), item=value_phrase(r, cid, r["entity"]))
                    for r in same[1:4])]
