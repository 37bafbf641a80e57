"""Offline mode: run the plan's tool calls and write the answer.

Every number in the answer is written through :meth:`Composer.num` from a tool
result (or quoted from a cited passage), so offline answers pass the number
verifier by construction; the tests check it on every golden question.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

from index_core import io

from . import retrieval
from .envelope import Citation, Envelope, Number
from .planner import CITY_EDITIONS, EDITIONS, Plan, dimension_label
from .tools import ToolRunner

_UNIT_EN = {"个": "", "所": "", "家": "", "位": "", "人": "", "项": "", "件": "", "人/万人": " per 10k residents",
            "件/万人": " per 10k residents", "人年/万人": " person-years per 10k employed", "亿元": " × 100 million yuan",
            "亿": " × 100 million yuan", "万元/人": " × 10k yuan per person", "人次": " person-times", "项当量": " award-equivalents",
            "%": "%", "分": " points", "万家": " × 10k firms", "万件": " × 10k", "万": " × 10k", "万名": " × 10k", "个位次": " places"}


@functools.lru_cache(maxsize=1)
def crosswalk() -> dict:
    return yaml.safe_load((Path(__file__).parent / "crosswalk.yaml").read_text(encoding="utf-8"))


def edition_name(eid: str, lang: str) -> str:
    spec = io.load_edition(eid).spec
    year = spec.period or spec.edition_year
    if lang == "zh":
        return f"{year} {spec.title.zh}（{eid}）" if eid != "chongqing-2018q3" else f"{spec.title.zh}（{eid}）"
    return f"{spec.title.en} ({spec.title.zh}, {eid})" if eid != "hardtech-2019" and eid != "hardtech-2020" else \
        f"{spec.edition_year} {spec.title.en} ({spec.title.zh}, {eid})"


def _fmt(v: float, decimals: int) -> str:
    return f"{v:.{decimals}f}" if decimals else str(int(round(v)))


def _entity_label(name: str, lang: str) -> str:
    if lang == "zh":
        return name
    e = io.load_registry().get(name)
    return f"{e.name_en} ({name})"


def _quote_around(text: str, needles: list[str], limit: int = 360) -> str:
    """The sentences of ``text`` that contain any needle (whitespace-normalised)."""
    t = re.sub(r"\s+", " ", text).strip()
    parts = re.split(r"(?<=[。；;！？])", t)
    picked = [s for s in parts if any(n and n in s.replace(" ", "") for n in needles)]
    out = "".join(picked) if picked else t
    return out if len(out) <= limit else out[:limit].rstrip() + "…"


class Composer:
    def __init__(self, plan: Plan, runner: ToolRunner) -> None:
        self.p = plan
        self.r = runner
        self.lang = plan.lang
        self.out: list[str] = []
        self.numbers: list[Number] = []
        self.citations: list[Citation] = []
        self.cite_text: dict[str, str] = {}
        self.warnings: list[str] = []
        self.chart: dict | None = None

    # ------------------------------------------------------------------ helpers
    def T(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def say(self, text: str) -> None:
        self.out.append(text)

    def num(self, value, label: str, source: str, *, unit: str | None = None, decimals: int | None = None,
            entity: str | None = None, edition: str | None = None, dimension: str | None = None) -> str:
        v = float(value)
        if decimals is None:
            decimals = 0 if v == int(v) and unit in ("rank", "名", "tier", "梯队", None, "", "个", "所", "家") else 2
        self.numbers.append(Number(value=round(v, decimals) if decimals else v, unit=unit, label=label, entity=entity,
                                   edition=edition, dimension=dimension, source=source))
        return _fmt(v, decimals)

    def score(self, v, label, src, **kw) -> str:
        return self.num(v, label, src, unit=self.T("分", "points"), decimals=2, **kw)

    def rank(self, v, label, src, **kw) -> str:
        return self.num(v, label, src, unit="rank", decimals=0, **kw)

    def cite(self, source_file: str, first: int, last: int | None = None, needles: list[str] | None = None,
             quote: str | None = None) -> str:
        last = last or first
        for c in self.citations:
            if c.source_file == source_file and c.lines[0] <= first and last <= c.lines[1]:
                return f"[{c.id[1:]}]"
        try:
            passage = retrieval.get_passage(source_file, first, last, context=0)
            text = "".join(x["text"].strip() for x in passage["lines"])
            title = passage.get("doc_title") or retrieval.doc_title(source_file)
        except Exception:
            text, title = "", retrieval.doc_title(source_file)
        cid = f"c{len(self.citations) + 1}"
        q = quote or _quote_around(text, needles or [])
        self.citations.append(Citation(id=cid, source_file=source_file, lines=(first, last), doc_title=title,
                                       section=self._section(source_file, first), quote=q))
        self.cite_text[cid] = text
        return f"[{cid[1:]}]"

    @staticmethod
    def _section(source_file: str, line: int) -> str | None:
        for c in _chunks_by_file().get(source_file, []):
            if c.lines[0] <= line <= c.lines[1]:
                return c.section
        return None

    def cite_measure(self, sources: dict, measure: str) -> str:
        s = (sources or {}).get(measure)
        if not s:
            return ""
        return self.cite(s["source_file"], s["line"], needles=[s.get("printed") or ""])

    def ed(self, eid: str) -> str:
        return edition_name(eid, self.lang)

    def dim(self, eid: str, key: str) -> str:
        zh = dimension_label(eid, key, "zh")
        return zh if self.lang == "zh" else f"{dimension_label(eid, key, 'en').lower()} ({zh})"

    def ent(self, name: str) -> str:
        return _entity_label(name, self.lang)

    def edition_note(self) -> None:
        p = self.p
        if not p.edition_explicit:
            self.say(self.T(f"（问题未指明版本，以下按最相关的版本作答：{self.ed(p.edition)}。）",
                            f"(No edition was named, so this answers from the most relevant one: {self.ed(p.edition)}.)"))

    def composite(self, printed, computed, src: str, *, entity: str, edition: str, compact: bool = False) -> tuple[str, bool]:
        """A composite score, saying which value it is where the report's printed composite and the
        one the method computes from the printed dimension scores differ (2019 西安 39.78 / 39.79).

        The question's preference (``plan.composite_pref``) decides which comes first."""
        differs = printed is not None and computed is not None and _fmt(float(printed), 2) != _fmt(float(computed), 2)
        if not differs:
            v = printed if printed is not None else computed
            out = self.score(v, "composite", src, entity=entity, edition=edition)
            if printed is None and compact:
                out += self.T("（计算值）", " (computed)")
            return out, False
        pv = self.score(printed, "printed composite", src, entity=entity, edition=edition)
        cv = self.score(computed, "computed composite", src, entity=entity, edition=edition)
        step_zh, step_en = ("", "") if compact else ("，相差一个舍入步长", ", one rounding step apart")
        if self.p.composite_pref == "computed":
            return self.T(f"按方法由维度得分计算为 {cv}（报告印刷值 {pv}{step_zh}）",
                          f"{cv} recomputed from the dimension scores (the report prints {pv}{step_en})"), True
        return self.T(f"报告印刷值 {pv}，按方法由维度得分计算为 {cv}" + (f"（{step_zh[1:]}）" if step_zh else ""),
                      f"printed {pv}; recomputed from the dimension scores {cv}" + (f" ({step_en[2:]})" if step_en else "")), True

    def dimension_chart(self, ent: str, eid: str, dims: dict) -> None:
        """A bar chart of one entity's dimension scores (labels in the question's language)."""
        known = [(k, v["score"]) for k, v in dims.items() if v.get("score") is not None]
        if not known or self.chart is not None:
            return
        spec = io.load_edition(eid).spec
        year = spec.period or spec.edition_year
        title = self.T(f"{ent} · {year} {spec.title.zh}：各维度得分", f"{_entity_label(ent, 'en')} · {year} {spec.title.en}: dimension scores")
        self.chart = {"type": "bar", "title": title, "labels": [dimension_label(eid, k, self.lang) for k, _ in known],
                      "series": [{"name": f"{ent} {year}", "values": [v for _, v in known]}]}

    # ------------------------------------------------------------------ entry
    def compose(self) -> Envelope:
        p = self.p
        handler = getattr(self, f"do_{p.intent}", self.do_search)
        if p.unknown_edition and p.intent not in ("refuse", "out_of_scope", "definition"):
            self.gap_unknown_edition()
        elif p.unknown_entities and not p.entities and p.intent not in ("refuse", "out_of_scope", "definition", "method"):
            self.gap_unknown_entity()
        else:
            handler()
        answer = "\n\n".join(x for x in self.out if x)
        if self.citations:
            head = self.T("**来源**", "**Sources**")
            rows = [f"[{c.id[1:]}] {c.doc_title} · {c.source_file}, lines {c.lines[0]}–{c.lines[1]}"
                    + (f" · {c.section}" if c.section else "") for c in self.citations]
            answer += "\n\n" + head + "\n" + "\n".join(rows)
        return Envelope(answer=answer, language=p.lang, mode="offline", numbers=self.numbers, citations=self.citations,
                        tool_calls=self.r.calls, chart=self.chart, warnings=self.warnings)

    # ------------------------------------------------------------------ gaps
    def gap_unknown_edition(self) -> None:
        p = self.p
        cid, eds = self.r.ok("editions")
        known = ", ".join(e["id"] for e in (eds or {}).get("editions", []))
        self.say(self.T(
            f"没有 {p.unknown_edition} 年的版本，我不会编造这一年的数字。已有的版本是：{known}。",
            f"There is no {p.unknown_edition} edition, and I won't invent numbers for it. The editions available are: {known}."))
        self.warnings.append(f"unknown edition {p.unknown_edition}")
        if p.entities:
            ent = p.entities[0]
            for eid in CITY_EDITIONS + ("gtii-2019", "chongqing-2018q3"):
                if ent in io.load_edition(eid).entities:
                    break
            p.edition, p.edition_explicit = eid, True
            self.say(self.T("最接近的真实数据：", "The nearest real data:"))
            self._overview(ent, eid)

    def gap_unknown_entity(self) -> None:
        """A place no edition covers (洛阳): say so, list the editions, and show who the asked edition does cover."""
        p = self.p
        names = "、".join(p.unknown_entities) if self.lang == "zh" else ", ".join(p.unknown_entities)
        eid = p.edition or "hardtech-2020"
        cid, eds = self.r.ok("editions")
        self.warnings.append(f"unknown entity: {', '.join(p.unknown_entities)}")
        self.say(self.T(f"{names}不在该指数的城市范围内：已有的版本都没有收录它，所以没有它的得分、排名或梯队，我也不会编造。",
                        f"{names} is not in this index: none of the editions covers it, so there is no score, rank or tier "
                        f"for it, and I won't invent one."))
        rows = []
        for e in (eds or {}).get("editions", []):
            n = e.get("entity_count") or e.get("entities") or e.get("of")
            n = n if isinstance(n, (int, float)) else None
            title = self.ed(e["id"])
            k = self.num(n, "entities in edition", cid) if n else None
            kz, ke = ("区县", "districts") if e.get("entity_kind") == "district" else ("城市", "cities")
            rows.append(self.T(f"- {title}" + (f"：{k} 个{kz}" if k else ""), f"- {title}" + (f": {k} {ke}" if k else "")))
        if rows:
            self.say(self.T("已有的版本：", "The editions available:") + "\n" + "\n".join(rows))
        rcid, res = self.r.ok("ranking", edition=eid, top=50)
        if res and res.get("entities"):
            members = [x["name"] for x in res["entities"]]
            of = self.num(res["of"], "entities in edition", rcid)
            kz = "区县" if eid == "chongqing-2018q3" else "城市"
            self.say(self.T(f"最接近的真实数据：{self.ed(eid)}评价的 {of} 个{kz}是：{'、'.join(members)}。可以问其中任何一个的得分、排名或梯队。",
                            f"The nearest real data: the {self.ed(eid)} covers these {of}: "
                            f"{', '.join(self.ent(m) for m in members)}. Ask about any of them."))

    def gap_not_in_edition(self, ent: str, eid: str, err: dict) -> None:
        self.say(self.T(
            f"{self.ent(ent)}不在{self.ed(eid)}的评价范围内（该版本共 {self.num(io.load_edition(eid).spec.entity_count.value, 'entities in edition', self.r.calls[-1].id)} 个城市/区县），因此该版本没有它的得分或排名。",
            f"{self.ent(ent)} is not among the entities of {self.ed(eid)}, so that edition has no score or rank for it."))
        self.warnings.append(f"{ent} is not in {eid}")
        cid, res = self.r.ok("entity_editions", entity=ent)
        others = [e for e in (res or {}).get("editions", []) if e["edition"] != eid]
        if others:
            self.say(self.T("最接近的真实数据（其他版本，方法不同）：", "The nearest real data (other editions; their methods differ):"))
            for e in others:
                self.say(self._edition_line(ent, e, cid))

    def _edition_line(self, ent: str, e: dict, cid: str) -> str:
        comp = None
        if e.get("composite") is not None or e.get("published_composite") is not None:
            comp, _ = self.composite(e.get("published_composite"), e.get("composite"), cid, entity=ent, edition=e["edition"], compact=True)
        rank = self.rank(e["rank"], "rank", cid, entity=ent, edition=e["edition"]) if e.get("rank") is not None else None
        of = self.num(e["of"], "entities in edition", cid) if e.get("of") else None
        if comp is None:
            return self.T(f"- {self.ed(e['edition'])}：报告正文未给出得分。", f"- {self.ed(e['edition'])}: the text gives no score.")
        from .tools import published_sources

        src = published_sources(e["edition"], ent)
        c = self.cite_measure(src, "composite") or self.cite_measure(src, "rank") or \
            (self.cite_measure(src, next(iter(src))) if src else "")
        tier = ""
        if e.get("tier") is not None and e.get("tier_label"):
            if e.get("tier_status") != "unnamed":
                self.num(e["tier"], "tier", cid, unit="tier", entity=ent, edition=e["edition"])
            label = e["tier_label"] if self.lang == "zh" else e["tier_label_en"]
            tier = self.T(f"，{label}", f", {label[0].lower() + label[1:] if e.get('tier_status') != 'unnamed' else label.lower()}")
        rk_zh = f"，第 {rank} 名（共 {of} 个）" if rank else ""
        rk_en = f", rank {rank} of {of}" if rank else ""
        return self.T(f"- {self.ed(e['edition'])}：综合得分 {comp}{rk_zh}{tier} {c}",
                      f"- {self.ed(e['edition'])}: composite {comp}{rk_en}{tier} {c}")

    # ------------------------------------------------------------------ value / rank
    def _scores(self, ent: str, eid: str) -> tuple[str, dict | None]:
        cid, res = self.r.call("scores", edition=eid, entity=ent)
        if "error" in res:
            if res["error"]["code"] == "not_available":
                self.gap_not_in_edition(ent, eid, res["error"])
            else:
                self.say(self.T(f"无法查询：{res['error']['message']}", f"Could not look this up: {res['error']['message']}"))
            return cid, None
        return cid, res

    def do_value(self, focus: str = "value") -> None:
        p = self.p
        if not p.entities:
            return self.do_topn()
        self.edition_note()
        for ent in p.entities[:3]:
            self._overview(ent, p.edition, focus=focus)

    def do_rank(self) -> None:
        self.do_value(focus="rank")

    def _overview(self, ent: str, eid: str, focus: str = "value") -> None:
        p = self.p
        cid, res = self._scores(ent, eid)
        if res is None:
            return
        src = res.get("sources", {})
        of = res["of"]
        if res.get("composite") is None and res.get("published_composite") is None:
            return self._chart_only(ent, eid, cid, res)
        if p.dimension and p.dimension in res["dimensions"] and res["dimensions"][p.dimension]["score"] is not None:
            d = res["dimensions"][p.dimension]
            c = self.cite_measure(src, f"{p.dimension}.score") or self.cite_measure(src, f"{p.dimension}.rank")
            s = self.score(d["score"], f"{p.dimension} score", cid, entity=ent, edition=eid, dimension=p.dimension)
            rk = self.rank(d["rank"], f"{p.dimension} rank", cid, entity=ent, edition=eid, dimension=p.dimension) if d["rank"] is not None else None
            n = self.num(of, "entities in edition", cid)
            if rk:
                self.say(self.T(f"在{self.ed(eid)}中，{ent}的{self.dim(eid, p.dimension)}得分为 {s} 分，在 {n} 个城市中排第 {rk} 名。{c}",
                                f"In the {self.ed(eid)}, {self.ent(ent)} scores {s} on {self.dim(eid, p.dimension)}, rank {rk} of {n}. {c}"))
            else:
                self.say(self.T(f"在{self.ed(eid)}中，{ent}的{self.dim(eid, p.dimension)}得分为 {s} 分（报告未给出该维度排名）。{c}",
                                f"In the {self.ed(eid)}, {self.ent(ent)} scores {s} on {self.dim(eid, p.dimension)} (the report gives no rank for it). {c}"))
        elif p.dimension and p.dimension in res["dimensions"]:
            d = res["dimensions"][p.dimension]
            if d["rank"] is not None:
                rk = self.rank(d["rank"], f"{p.dimension} rank", cid, entity=ent, edition=eid, dimension=p.dimension)
                c = self.cite_measure(src, f"{p.dimension}.rank")
                self.say(self.T(f"在{self.ed(eid)}中，{ent}的{self.dim(eid, p.dimension)}排第 {rk} 名（报告正文未给出该维度得分）。{c}",
                                f"In the {self.ed(eid)}, {self.ent(ent)} ranks {rk} on {self.dim(eid, p.dimension)} (the text gives no score for it). {c}"))
            else:
                self.say(self.T(f"{self.ed(eid)}没有列出{ent}在{self.dim(eid, p.dimension)}上的得分或排名（例如 GTII 各领域只公布前十名）。",
                                f"The {self.ed(eid)} does not list {self.ent(ent)} on {self.dim(eid, p.dimension)} (GTII publishes only each field's top ten)."))
        if p.dimension:
            self._rank_contradiction(ent, eid, p.dimension, res.get("discrepancies") or [])
        comp, differs = self.composite(res.get("published_composite"), res.get("composite"), cid, entity=ent, edition=eid)
        rk = self.rank(res["rank"], "composite rank", cid, entity=ent, edition=eid) if res.get("rank") is not None else None
        n = self.num(of, "entities in edition", cid)
        c = self.cite_measure(src, "composite") or self.cite_measure(src, "rank")
        tier = ""
        if res.get("tier") is not None:
            label = res["tier_label"] if self.lang == "zh" else res["tier_label_en"]
            self.num(res["tier"], "tier", cid, unit="tier", entity=ent, edition=eid)
            status = self.T("（门槛为推定）" if res.get("tier_status") == "assumed" else "",
                            " (threshold assumed)" if res.get("tier_status") == "assumed" else "")
            if res.get("tier_status") == "unnamed":
                tier = self.T(f"，属于{label}", f", {label[0].lower() + label[1:]}")
            else:
                tier = self.T(f"，属于{label}{status}", f", in the {label.lower() if label.startswith(('First', 'Second', 'Third', 'Fourth', 'Fifth')) else label}{status}")
        lead = self.T("综合得分" if not p.dimension else "其综合得分", "composite score")
        if differs:
            rank_zh = f"在 {n} 个中排第 {rk} 名" if rk else ""
            rank_en = f"It ranks {rk} of {n}" if rk else "It is"
            self.say(self.T(f"在{self.ed(eid)}中，{ent}的{lead}：{comp}；{rank_zh}{tier}。{c}",
                            f"In the {self.ed(eid)}, {self.ent(ent)}'s {lead}: {comp}. {rank_en}{tier}. {c}"))
        elif rk:
            self.say(self.T(f"在{self.ed(eid)}中，{ent}的{lead}为 {comp} 分，在 {n} 个中排第 {rk} 名{tier}。{c}",
                            f"In the {self.ed(eid)}, {self.ent(ent)}'s {lead} is {comp}, rank {rk} of {n}{tier}. {c}"))
        else:
            self.say(self.T(f"在{self.ed(eid)}中，{ent}的{lead}为 {comp} 分{tier}。{c}",
                            f"In the {self.ed(eid)}, {self.ent(ent)}'s {lead} is {comp}{tier}. {c}"))
        if not p.dimension:
            dims = [(k, v) for k, v in res["dimensions"].items() if v["score"] is not None]
            if dims:
                parts = []
                for k, v in dims:
                    s = self.score(v["score"], f"{k} score", cid, entity=ent, edition=eid, dimension=k)
                    r = self.rank(v["rank"], f"{k} rank", cid, entity=ent, edition=eid, dimension=k) if v["rank"] is not None else None
                    parts.append(self.T(f"{self.dim(eid, k)} {s}（第 {r} 名）" if r else f"{self.dim(eid, k)} {s}",
                                        f"{self.dim(eid, k)} {s} (rank {r})" if r else f"{self.dim(eid, k)} {s}"))
                c2 = self.cite_measure(src, f"{dims[0][0]}.score")
                self.say(self.T("各维度：", "By dimension: ") + self.T("；", "; ").join(parts) + self.T("。", ".") + (f" {c2}" if c2 else ""))
        self.dimension_chart(ent, eid, res["dimensions"])
        if res.get("composite_source") == "computed" and res.get("published_composite") is None and res.get("composite") is not None:
            if io.load_edition(eid).raw is not None:  # an edition computed from raw indicators prints nothing
                self.say(self.T("（综合得分由该版本的原始指标按其方法计算得出。）",
                                "(The composite is computed from the edition's raw indicators by its method.)"))
            else:
                self.say(self.T("（综合得分由报告公布的维度得分按其方法计算得出，报告未直接印出。）",
                                "(The composite is computed from the printed dimension scores by the report's method; the report does not print it.)"))
        if not p.edition_explicit and res.get("other_editions") and focus in ("value", "rank"):
            self.say(self.T("其他版本（方法、指标和城市范围不同，只宜比较名次）：",
                            "Other editions (different methods, indicators and city sets; compare ranks with care):"))
            for e in res["other_editions"]:
                self.say(self._edition_line(ent, e, cid))

    def _rank_contradiction(self, ent: str, eid: str, key: str, discrepancies: list[dict]) -> None:
        """Flag a printed rank that contradicts the printed scores (GTII aerospace: 伦敦 9th with 56.88
        after 广州's 51.44 in 8th)."""
        d = next((x for x in discrepancies if x.get("measure") == f"{key}.rank"), None)
        if not d:
            return
        cid, res = self.r.ok("ranking", edition=eid, by=key, top=50)
        rows = (res or {}).get("entities", [])
        me = next((x for x in rows if x["name"] == ent), None)
        before = next((x for x in rows if me and x["rank"] == me["rank"] - 1), None)
        if not me or not before or me["score"] is None or before["score"] is None:
            return
        r1 = self.rank(me["rank"], f"{key} rank (printed)", cid, entity=ent, edition=eid, dimension=key)
        s1 = self.score(me["score"], f"{key} score", cid, entity=ent, edition=eid, dimension=key)
        r0 = self.rank(before["rank"], f"{key} rank", cid, entity=before["name"], edition=eid, dimension=key)
        s0 = self.score(before["score"], f"{key} score", cid, entity=before["name"], edition=eid, dimension=key)
        c = self.cite(me["source"]["source_file"], me["source"]["line"], needles=[me["source"]["printed"]]) if me.get("source") else ""
        self.warnings.append(f"the report's printed {key} rank of {ent} contradicts its printed scores")
        self.say(self.T(
            f"**注意：报告此处自相矛盾。**它把{ent}印在第 {r1} 名、得分 {s1}，但印在它前面（第 {r0} 名）的{before['name']}得分只有 {s0}，"
            f"低于{ent}；按得分{ent}应排在{before['name']}之前。我如实给出报告印出的名次，并指出这一矛盾。{c}",
            f"**Caution: the report is inconsistent here.** It prints {self.ent(ent)} at rank {r1} with {s1}, but the city printed "
            f"above it at rank {r0}, {self.ent(before['name'])}, has only {s0}, lower than {self.ent(ent)}'s score; by score "
            f"{self.ent(ent)} would rank above it. I give the printed rank and flag the contradiction. {c}"))

    def _chart_only(self, ent: str, eid: str, cid: str, res: dict) -> None:
        tcid, tiers = self.r.ok("tiers", edition=eid)
        rule = next((t for t in (tiers or {}).get("tiers", []) if t["tier"] == res.get("tier")), None)
        if res.get("tier") is not None and rule:
            label = res["tier_label"] if self.lang == "zh" else res["tier_label_en"]
            self.num(res["tier"], "class", cid, unit="tier", entity=ent, edition=eid)
            c = self.cite(rule["source"]["file"], rule["source"]["line"], rule["source"]["line"] + 4, needles=[ent[:2]])
            self.say(self.T(
                f"报告只说明{ent}属于{label}（{self.ed(eid)}）{c}，它的确切得分只出现在图表中（图表的数值未能从报告文本中保留），所以我无法给出具体分数，也不会估算一个。",
                f"The report only states that {self.ent(ent)} is in {label} of the {self.ed(eid)} {c}; its exact score was shown only in a chart "
                f"whose values did not survive in the report's text, so I can't give the number and won't estimate one."))
            above = next((t for t in tiers["tiers"] if t["tier"] == rule["tier"] - 1), None)
            if rule.get("threshold") is not None and above and above.get("threshold") is not None:
                lo = self.num(rule["threshold"], "class lower bound", tcid, decimals=0, edition=eid)
                hi = self.num(above["threshold"], "class upper bound", tcid, decimals=0, edition=eid)
                self.say(self.T(f"已知的是：它的得分在 {lo}—{hi} 分之间（{label}的区间）。",
                                f"What is known: its score lies between {lo} and {hi} (the range of {label})."))
            self.warnings.append(f"{ent}: exact score only in a chart; class known")
            same = [m for m in rule.get("members", []) if m != ent]
            if same:
                self.say(self.T(f"同属{label}的还有：{'、'.join(same)}。", f"Also in {label}: {', '.join(self.ent(m) for m in same)}."))
        else:
            self.say(self.T(f"{self.ed(eid)}没有公布{ent}的得分。", f"The {self.ed(eid)} publishes no score for {self.ent(ent)}."))
        known = [d for d in res["dimensions"].items() if d[1]["score"] is not None or d[1]["rank"] is not None]
        for k, v in known:
            s = self.score(v["score"], f"{k} score", cid, entity=ent, edition=eid, dimension=k) if v["score"] is not None else None
            r = self.rank(v["rank"], f"{k} rank", cid, entity=ent, edition=eid, dimension=k) if v["rank"] is not None else None
            c = self.cite_measure(res.get("sources", {}), f"{k}.rank" if r else f"{k}.score")
            bits = self.T("，".join(x for x in [f"得分 {s}" if s else "", f"第 {r} 名" if r else ""] if x),
                          ", ".join(x for x in [f"score {s}" if s else "", f"rank {r}" if r else ""] if x))
            self.say(self.T(f"- 报告文字给出的{self.dim(eid, k)}：{bits} {c}", f"- Stated for {self.dim(eid, k)}: {bits} {c}"))

    # ------------------------------------------------------------------ why / how
    def do_why(self) -> None:
        p = self.p
        if not p.entities:
            return self.do_search()
        ent, eid = p.entities[0], p.edition
        self.edition_note()
        ecid, ex = self.r.call("explain", edition=eid, entity=ent)
        if "error" in ex:
            if ex["error"]["code"] == "not_available" and "not among" in ex["error"]["message"]:
                return self.gap_not_in_edition(ent, eid, ex["error"])
            return self._overview(ent, eid)
        self.dimension_chart(ent, eid, ex["dimensions"])
        if p.focus == "discrepancy" and any(d["measure"] == "composite" for d in ex.get("discrepancies") or []):
            return self._explain_discrepancy(ent, eid, ecid, ex)
        strong = any(w in p.question.lower() for w in ("strong", "strength", "good at", "advantage")) or \
            any(w in p.question for w in ("优势", "强项", "长处", "为什么强", "为何强"))
        key = p.dimension or ex.get("strongest_dimension" if strong else "weakest_dimension")
        src = ex.get("sources", {})
        if key and key in ex["dimensions"] and ex["dimensions"][key]["score"] is not None:
            d = ex["dimensions"][key]
            s = self.score(d["score"], f"{key} score", ecid, entity=ent, edition=eid, dimension=key)
            r = self.rank(d["rank"], f"{key} rank", ecid, entity=ent, edition=eid, dimension=key)
            n = self.num(ex["of"], "entities in edition", ecid)
            others = [(k, v) for k, v in ex["dimensions"].items() if k != key and v["rank"] is not None]
            c = self.cite_narrative(ent, eid, [str(d["score"]), f"{d['score']:.2f}"]) or self.cite_measure(src, f"{key}.score")
            contrast = ""
            if others:
                names = self.T("、".join(self.dim(eid, k) for k, _ in others), ", ".join(dimension_label(eid, k, "en").lower() for k, _ in others))
                ranks = self.T("、".join(self.rank(v["rank"], f"{k} rank", ecid, entity=ent, edition=eid, dimension=k) for k, v in others),
                               ", ".join(self.rank(v["rank"], f"{k} rank", ecid, entity=ent, edition=eid, dimension=k) for k, v in others))
                contrast = self.T(f"，而{names}分别排第 {ranks} 名", f", against {names} at ranks {ranks}")
            comp, _ = self.composite(ex.get("published_composite"), ex.get("composite"), ecid, entity=ent, edition=eid)
            crank = self.rank(ex["rank"], "composite rank", ecid, entity=ent, edition=eid)
            self.say(self.T(
                f"在{self.ed(eid)}中，{ent}的{self.dim(eid, key)}得分 {s}，在 {n} 个城市中排第 {r} 名{contrast}（综合得分 {comp}，第 {crank} 名）。{c}",
                f"In the {self.ed(eid)}, {self.ent(ent)} scores {s} on {self.dim(eid, key)}, rank {r} of {n}{contrast} "
                f"(composite {comp}, rank {crank}). {c}"))
            w = ex["dimensions"][key].get("weight")
            if w:
                wt = self.num(w * 100, "weight", ecid, unit="%", decimals=0, edition=eid, dimension=key)
                self.say(self.T(f"该维度在综合指数中的权重为 {wt}%。", f"This dimension carries {wt}% of the composite."))
        else:
            self._overview(ent, eid)
        self._reasons(ent, eid, key, strong)
        if key:
            self._crosswalk_note(ent, eid, key)

    def _explain_discrepancy(self, ent: str, eid: str, cid: str, ex: dict) -> None:
        """Why the printed composite and the recomputed one differ: the method applied to the printed
        (rounded) dimension scores, term by term."""
        d = next(x for x in ex["discrepancies"] if x["measure"] == "composite")
        src = ex.get("sources", {})
        pv = self.score(d["published"], "printed composite", cid, entity=ent, edition=eid)
        cv = self.score(d["computed"], "computed composite", cid, entity=ent, edition=eid)
        exact = self.num(d["computed"], "computed composite (unrounded)", cid, decimals=_decimals(str(d["computed"])), entity=ent, edition=eid)
        c = self.cite_measure(src, "composite")
        c2 = self.cite_measure(src, f"{next(iter(ex['dimensions']))}.score")
        weights = [v.get("weight") for v in ex["dimensions"].values()]
        equal = len({w for w in weights if w is not None}) <= 1
        self.say(self.T(
            f"{self.ed(eid)}为{ent}印出的综合得分是 {pv} {c}；按该版本的方法（维度得分{'取平均，即等权加权求和' if equal else '加权求和'}），"
            f"由报告印出的各维度得分重新计算得 {exact}，四舍五入为 {cv}。{c2}",
            f"The {self.ed(eid)} prints {pv} as {self.ent(ent)}'s composite {c}; applying the edition's method (a "
            f"{'mean, i.e. an equally weighted sum,' if equal else 'weighted sum'} of the dimension scores) to the dimension scores "
            f"as printed gives {exact}, which rounds to {cv}. {c2}"))
        rows = []
        for k, v in (ex.get("contributions") or {}).items():
            dim = ex["dimensions"][k]
            s = self.score(dim["score"], f"{k} score", cid, entity=ent, edition=eid, dimension=k)
            w = self.num(dim["weight"] * 100, "weight", cid, unit="%", decimals=0, edition=eid, dimension=k)
            cv_k = self.num(v, f"{k} contribution", cid, decimals=_decimals(str(v)), entity=ent, edition=eid, dimension=k)
            rows.append(f"- {self.dim(eid, k)}：{s} × {w}% = {cv_k}" if self.lang == "zh" else f"- {self.dim(eid, k)}: {s} × {w}% = {cv_k}")
        if rows:
            self.say("\n".join(rows))
        self.say(self.T(
            "两者相差一个舍入步长（第二位小数差一）。原因是舍入：报告印出的维度得分已四舍五入到两位小数，而报告很可能用未舍入的维度得分计算综合得分后再四舍五入；"
            "用舍入后的维度得分重新加权求和，舍入误差会累积，结果可能在第二位小数上差一。两个数都不是错的：印刷值是报告公布的结果，计算值可由公布的维度得分复核。",
            "They differ by one rounding step in the second decimal. The cause is rounding: the printed dimension scores are rounded to two "
            "decimals, while the report most likely computed the composite from unrounded scores and rounded it last; redoing "
            "the weighted sum from the rounded scores accumulates the rounding errors, which can move the second decimal by "
            "one. Neither number is wrong: the printed one is what the report publishes, the computed one is what its printed "
            "dimension scores reproduce."))
        self.warnings.append(f"printed composite {d['published']} differs from the computed {d['computed']}")

    def cite_narrative(self, ent: str, eid: str, needles: list[str]) -> str:
        """Cite the narrative line that prints an entity's profile numbers (e.g. 001 line 1942)."""
        if io.load_edition(eid).raw is not None:
            return ""  # computed from a raw table: no report prints its profiles
        spec = io.load_edition(eid).spec
        f = spec.source.file
        lines = _file_lines(f)
        lo, hi = 1, len(lines)
        for s in spec.source.sections:
            lo, hi = min(s.lines[0], lo) if lo != 1 else s.lines[0], max(s.lines[1], hi if hi != len(lines) else 0)
        for i in range(max(1, lo), min(len(lines), hi) + 1):
            text = lines[i - 1]
            if ent in text and all(n in text for n in needles[:1]) and ("指数" in text or "得分" in text):
                return self.cite(f, i, needles=needles)
        return ""

    def _reasons(self, ent: str, eid: str, key: str | None, strong: bool) -> None:
        fcid, facts = self.r.ok("facts", edition=eid, entity=ent)
        rows = (facts or {}).get("facts", [])
        if key:
            rows = [r for r in rows if _fact_dimension(eid, r) == key]
        if not rows:
            hits = self._search(f"{ent} {dimension_label(eid, key, 'zh') if key else ''} 原因", eid, ent)
            if hits:
                h = hits[0]
                c = self.cite(h["source_file"], h["lines"][0], h["lines"][1])
                q = self.citations[-1].quote
                self.say(self.T(f"报告相关段落：「{q}」{c}", f"The closest passage in the report (Chinese): “{q}” {c}"))
            return
        # latest year per indicator first; keep the report's order otherwise
        self.say(self.T("报告给出的原因（原始指标）：", "The report's reasons (raw indicators):"))
        by_line: dict[int, list[dict]] = {}
        for r in rows:
            by_line.setdefault(r["line"], []).append(r)
        for line, rs in sorted(by_line.items()):
            needles = [str(r["printed"]) + (r.get("unit") or "") for r in rs]
            c = self.cite(rs[0]["source_file"], line, needles=needles)
            for r in rs:
                v = self.num(r["value"], r["indicator_en"], fcid, unit=r.get("unit"), decimals=_decimals(r["printed"]),
                             entity=ent, edition=eid, dimension=key)
                unit_zh = r.get("unit") or ""
                rank_zh = rank_en = ""
                if r.get("stated_rank") is not None:
                    rk = self.rank(r["stated_rank"], f"{r['indicator_en']} rank", fcid, entity=ent, edition=eid)
                    n = io.load_edition(eid).spec.entity_count.value
                    last = r["stated_rank"] == n
                    nn = self.num(n, "entities in edition", fcid) if last else None
                    rank_zh = f"，{nn} 个城市中排最后（第 {rk} 名）" if last else f"，排第 {rk} 名"
                    rank_en = f", last of {nn} (rank {rk})" if last else f", rank {rk}"
                yr = f"{r['year']}年" if r.get("year") else ""
                yr_en = f" ({r['year']})" if r.get("year") else ""
                self.say(self.T(f"- {r['indicator_zh']}：{yr}{v}{unit_zh}{rank_zh} {c}",
                                f"- {r['indicator_en']} ({r['indicator_zh']}): {v}{_UNIT_EN.get(unit_zh, ' ' + unit_zh if unit_zh else '')}{yr_en}{rank_en} {c}"))
            if self.lang == "en":
                self.say(f"  > Report (Chinese): “{self.citations[-1].quote}”")
        # the report's own summary sentence, if it has one near the reasons
        last_line = max(by_line)
        f = rows[0]["source_file"]
        for i in range(last_line, min(last_line + 3, len(_file_lines(f))) + 1):
            t = _file_lines(f)[i - 1]
            if "总体上看" in t and ent in t:
                c = self.cite(f, i, needles=["总体上看"])
                q = self.citations[-1].quote if self.citations[-1].lines[0] == i else _quote_around(t, ["总体上看"])
                self.say(self.T(f"报告的总结：「{q}」{c}", f"The report sums up (Chinese): “{q}” {c}"))
                if self.lang == "en" and "创新基础亟待提升" in q:
                    self.say("  (Gloss: its innovation base urgently needs strengthening, while its input, output and environment are strong.)")
                break

    def _crosswalk_note(self, ent: str, eid: str, key: str) -> None:
        cw = (crosswalk().get(eid) or {}).get(key) or {}
        other = next((e for e in CITY_EDITIONS if e != eid and e in cw), None)
        if not other or ent not in io.load_edition(other).entities:
            return
        okey = cw[other]
        cid, res = self.r.ok("scores", edition=other, entity=ent)
        if not res:
            return
        d = res["dimensions"][okey]
        s = self.score(d["score"], f"{okey} score", cid, entity=ent, edition=other, dimension=okey)
        r = self.rank(d["rank"], f"{okey} rank", cid, entity=ent, edition=other, dimension=okey)
        n = self.num(res["of"], "entities in edition", cid)
        c = self.cite_measure(res.get("sources", {}), f"{okey}.score")
        self.say(self.T(
            f"对照：{self.ed(other)}中最接近的维度是{self.dim(other, okey)}，{ent}得分 {s}，在 {n} 个城市中排第 {r} 名。{c}"
            f"注意两版的指标、权重和城市范围不同（共同指标：{cw.get('shared', '—')}），分数不能直接比较。",
            f"For comparison, the closest dimension in the {self.ed(other)} is {self.dim(other, okey)}: {self.ent(ent)} scores {s}, "
            f"rank {r} of {n}. {c} The two editions use different indicators, weights and city sets "
            f"(shared indicator: {cw.get('shared', '—')}), so the scores are not directly comparable."))

    def do_how(self) -> None:
        p = self.p
        if not p.entities:
            return self.do_method()
        ent, eid = p.entities[0], p.edition
        self.edition_note()
        cid, ex = self.r.call("explain", edition=eid, entity=ent)
        if "error" in ex:
            if "not among" in ex["error"]["message"]:
                return self.gap_not_in_edition(ent, eid, ex["error"])
            return self._overview(ent, eid)
        if not ex.get("contributions_rounded"):
            return self._overview(ent, eid)
        self.dimension_chart(ent, eid, ex["dimensions"])
        comp, _ = self.composite(ex.get("published_composite"), ex["composite"], cid, entity=ent, edition=eid)
        rk = self.rank(ex["rank"], "rank", cid, entity=ent, edition=eid)
        self.say(self.T(f"{ent}在{self.ed(eid)}中的综合得分 {comp}（第 {rk} 名）由各维度加权构成：",
                        f"{self.ent(ent)}'s composite in the {self.ed(eid)} is {comp} (rank {rk}), made up of weighted dimensions:"))
        for k, v in ex["contributions_rounded"].items():
            s = self.score(ex["dimensions"][k]["score"], f"{k} score", cid, entity=ent, edition=eid, dimension=k)
            w = self.num(ex["dimensions"][k]["weight"] * 100, "weight", cid, unit="%", decimals=0, edition=eid, dimension=k)
            cv = self.score(v, f"{k} contribution", cid, entity=ent, edition=eid, dimension=k)
            self.say(self.T(f"- {self.dim(eid, k)}：{s} × {w}% = {cv} 分", f"- {self.dim(eid, k)}: {s} × {w}% = {cv} points"))
        if ex.get("gap_to_next_rank") is not None:
            g = self.score(ex["gap_to_next_rank"], "gap to next rank", cid, entity=ent, edition=eid)
            nxt = ex["next_rank_entity"]
            self.say(self.T(f"与上一名{nxt}相差 {g} 分。", f"It is {g} points behind the next rank, {self.ent(nxt)}."))
        if ex.get("gap_to_next_tier") is not None:
            g = self.score(ex["gap_to_next_tier"], "gap to next tier", cid, entity=ent, edition=eid)
            th = self.num(ex["next_tier_threshold"], "next tier threshold", cid, decimals=0, edition=eid)
            st = self.T("推定" if ex.get("next_tier_threshold_status") == "assumed" else "报告明示",
                        "assumed" if ex.get("next_tier_threshold_status") == "assumed" else "stated by the report")
            self.say(self.T(f"距上一梯队门槛（{th} 分，{st}）还差 {g} 分。",
                            f"It is {g} points below the next tier's threshold ({th}, {st})."))
        src = ex.get("sources", {})
        first_dim = next(iter(ex["dimensions"]))
        c = self.cite_measure(src, f"{first_dim}.score")
        if c:
            self.say(self.T(f"维度得分出处：{c}", f"Dimension scores as printed: {c}"))

    # ------------------------------------------------------------------ compare / trend
    def do_compare(self) -> None:
        p = self.p
        ents = p.entities
        if len(ents) < 2:
            return self.do_value()
        eid = p.edition
        self.edition_note()
        members = set(io.load_edition(eid).entities)
        missing = [e for e in ents if e not in members]
        for m in missing:
            self.say(self.T(f"{m}不在{self.ed(eid)}中，无法比较。", f"{self.ent(m)} is not in the {self.ed(eid)}, so it can't be compared there."))
            self.warnings.append(f"{m} is not in {eid}")
        ents = [e for e in ents if e in members]
        if len(ents) < 2:
            for e in ents:
                self._overview(e, eid)
            return
        cid, res = self.r.call("compare", edition=eid, entities=ents)
        if "error" in res:
            self.say(res["error"]["message"])
            return
        rows = res["entities"]
        keys = list(rows[0]["dimensions"])
        head = "| " + self.T("指标", "Measure") + " | " + " | ".join(self.ent(r["name"]) if self.lang == "en" else r["name"] for r in rows) + " |"
        lines = [head, "|---" * (len(rows) + 1) + "|"]
        cells = []
        for r in rows:
            if r.get("published_composite") is None and r.get("composite") is None:
                cells.append("–")
                continue
            v, _ = self.composite(r.get("published_composite"), r.get("composite"), cid, entity=r["name"], edition=eid, compact=True)
            cells.append(v + (f" (#{self.rank(r['rank'], 'rank', cid, entity=r['name'], edition=eid)})" if r.get("rank") else ""))
        lines.append("| " + self.T("综合", "Composite") + " | " + " | ".join(cells) + " |")
        for k in keys:
            cells = []
            for r in rows:
                d = r["dimensions"][k]
                if d["score"] is None:
                    cells.append("–")
                    continue
                cells.append(self.score(d["score"], f"{k} score", cid, entity=r["name"], edition=eid, dimension=k)
                             + (f" (#{self.rank(d['rank'], f'{k} rank', cid, entity=r['name'], edition=eid, dimension=k)})" if d["rank"] else ""))
            lines.append(f"| {self.dim(eid, k)} | " + " | ".join(cells) + " |")
        self.say(self.T(f"{self.ed(eid)}对比：", f"Side by side in the {self.ed(eid)}:"))
        self.say("\n".join(lines))
        lead = res.get("leader_by_dimension") or {}
        if p.dimension in keys and all(r["dimensions"][p.dimension]["score"] is not None for r in rows):
            # the question names a dimension: answer it first ("which of the two scores higher on output?")
            order = sorted(rows, key=lambda r: -r["dimensions"][p.dimension]["score"])
            vals = [self.score(r["dimensions"][p.dimension]["score"], f"{p.dimension} score", cid, entity=r["name"], edition=eid,
                               dimension=p.dimension) for r in order]
            top = order[0]["name"]
            self.say(self.T(f"在{self.dim(eid, p.dimension)}上，{top}得分更高：" + "，".join(f"{r['name']} {v}" for r, v in zip(order, vals)) + "。",
                            f"On {self.dim(eid, p.dimension)}, {self.ent(top)} scores higher: "
                            + ", ".join(f"{self.ent(r['name'])} {v}" for r, v in zip(order, vals)) + "."))
        if lead and rows[0]["dimensions"][keys[0]]["score"] is not None:
            parts = [self.T(f"{self.dim(eid, k)}：{v}", f"{dimension_label(eid, k, 'en').lower()}: {self.ent(v)}") for k, v in lead.items()]
            self.say(self.T("各维度领先者：", "Leader by dimension: ") + self.T("；", "; ").join(parts) + self.T("。", "."))
        cites = [self.cite_measure(r.get("sources", {}), "composite") or self.cite_measure(r.get("sources", {}), f"{keys[0]}.score") for r in rows]
        cites = [c for c in cites if c]
        if cites:
            self.say(self.T("出处：", "Sources: ") + " ".join(dict.fromkeys(cites)))
        self.chart = {"type": "compare", "title": self.T(f"{self.ed(eid)}：各维度对比", f"{self.ed(eid)}: dimension scores side by side"), "labels": [dimension_label(eid, k, self.lang) for k in keys],
                      "series": [{"name": r["name"], "values": [r["dimensions"][k]["score"] for k in keys]} for r in rows]}

    def do_trend(self) -> None:
        p = self.p
        if not p.entities:
            return self.do_search()
        ent = p.entities[0]
        cid, res = self.r.call("entity_editions", entity=ent)
        if "error" in res:
            self.say(res["error"]["message"])
            return
        eds = res["editions"]
        wanted = [e for e in p.editions_mentioned if e in EDITIONS]
        if len(wanted) >= 2:
            eds = [e for e in eds if e["edition"] in wanted] or eds
        self.say(self.T(f"{ent}在各版本中的表现：", f"{self.ent(ent)} across editions:"))
        for e in eds:
            self.say(self._edition_line(ent, e, cid))
        missing = [w for w in wanted if w not in {e["edition"] for e in res["editions"]}]
        for m in missing:
            self.say(self.T(f"- {self.ed(m)}：{ent}不在该版本中。", f"- {self.ed(m)}: {self.ent(ent)} is not in this edition."))
        self.say(self.T("注意：各版本的方法、指标、权重和城市范围不同，分数不能直接比较，只宜谨慎比较名次。",
                        "Note: the editions differ in method, indicators, weights and city set, so the scores are not "
                        "comparable; compare ranks only, and with care."))
        # a dimension carried over from the conversation: show its closest counterpart
        dims = [(e, k) for e, k in p.dimension_mentions]
        if dims:
            e0, k0 = dims[0]
            if ent in io.load_edition(e0).entities:
                scid, sres = self.r.ok("scores", edition=e0, entity=ent)
                if sres and sres["dimensions"][k0]["score"] is not None:
                    d = sres["dimensions"][k0]
                    s = self.score(d["score"], f"{k0} score", scid, entity=ent, edition=e0, dimension=k0)
                    r = self.rank(d["rank"], f"{k0} rank", scid, entity=ent, edition=e0, dimension=k0)
                    c = self.cite_measure(sres.get("sources", {}), f"{k0}.score")
                    self.say(self.T(f"{self.ed(e0)}：{self.dim(e0, k0)} {s}（第 {r} 名）{c}",
                                    f"{self.ed(e0)}: {self.dim(e0, k0)} {s} (rank {r}) {c}"))
                self._crosswalk_note(ent, e0, k0)
        pts = [e for e in eds if e.get("rank")]
        self.chart = {"type": "bar", "title": self.T(f"{ent}：各版本名次（数值越小越靠前）", f"{self.ent(ent)}: rank by edition (lower is better)"),
                      "labels": [e["edition"] for e in pts], "series": [{"name": self.T("名次", "rank"), "values": [e["rank"] for e in pts]}]}

    # ------------------------------------------------------------------ rankings / tiers
    def do_topn(self) -> None:
        p = self.p
        eid = p.edition
        n = p.top_n or 10
        self.edition_note()
        if eid == "chongqing-2018q3":
            return self.do_tiers()
        if p.focus == "coverage":
            self._coverage(eid)
        args = {"edition": eid, "top": n + p.offset, "bottom": p.bottom}
        if p.dimension:
            args["by"] = p.dimension
        cid, res = self.r.call("ranking", **args)
        if "error" in res:
            self.say(self.T(f"无法排名：{res['error']['message']}", f"Could not rank: {res['error']['message']}"))
            return
        shown = res["entities"][p.offset:]
        by = self.dim(eid, p.dimension) if p.dimension else self.T("综合指数", "composite")
        of = self.num(res["of"], "entities in edition", cid)
        if p.offset and shown:
            a = self.rank(shown[0]["rank"], "rank", cid, entity=shown[0]["name"], edition=eid)
            b = self.rank(shown[-1]["rank"], "rank", cid, entity=shown[-1]["name"], edition=eid)
            title = self.T(f"{self.ed(eid)}中按{by}{'倒数' if p.bottom else ''}接下来的第 {a}–{b} 名（共 {of} 个）：",
                           f"Next in the {self.ed(eid)} by {by}{' from the bottom' if p.bottom else ''}: ranks {a}–{b} of {of}:")
        elif p.bottom and len(shown) == 1:
            title = self.T(f"{self.ed(eid)}中按{by}排在最后（共 {of} 个）：", f"Last of {of} by {by} in the {self.ed(eid)}:")
        else:
            k = self.num(len(shown), "entities listed", cid)
            title = self.T(f"{self.ed(eid)}中按{by}{'倒数' if p.bottom else '排名前'} {k} 位（共 {of} 个）：",
                           f"{'Bottom' if p.bottom else 'Top'} {k} of {of} by {by} in the {self.ed(eid)}:")
        self.say(title)
        rows = []
        for e in shown:
            r = self.rank(e["rank"], "rank", cid, entity=e["name"], edition=eid, dimension=p.dimension)
            d = e.get("discrepancy") or {}
            if e["score"] is None:
                s = "–"
            elif d.get("measure") == "composite":
                s, _ = self.composite(d["published"], d["computed"], cid, entity=e["name"], edition=eid)
            else:
                s = self.score(e["score"], f"{res['by']} score", cid, entity=e["name"], edition=eid, dimension=p.dimension)
            c = self.cite(e["source"]["source_file"], e["source"]["line"], needles=[e["source"]["printed"]]) if e.get("source") else ""
            flag = self.T("（报告印出的名次与得分顺序矛盾）", " (the printed rank contradicts the printed scores)") \
                if d.get("measure", "").endswith(".rank") else ""
            rows.append(self.T(f"- 第 {r} 名 {e['name']}：{s}{flag} {c}", f"- #{r} {self.ent(e['name'])}: {s}{flag} {c}"))
        self.say("\n".join(rows))
        if eid == "gtii-2019" and res["of"] > len(res["entities"]) and len(res["entities"]) < n + p.offset:
            self.say(self.T("（GTII 只公布了综合前 15 名和各领域前 10 名。）", "(GTII publishes only the composite TOP15 and each field's TOP10.)"))
        title = self.T(f"{self.ed(eid)} · 按{by}排名", f"{self.ed(eid)} · ranking by {by}")
        self.chart = {"type": "ranking", "title": title, "labels": [e["name"] if self.lang == "zh" else self.ent(e["name"]) for e in shown],
                      "series": [{"name": by, "values": [e["score"] for e in shown]}]}

    def _coverage(self, eid: str) -> None:
        """How many entities an edition covers, with the line that says so."""
        cid, m = self.r.ok("methodology", edition=eid)
        cnt = (m or {}).get("entity_count") or {}
        if not isinstance(cnt, dict) or cnt.get("value") is None:
            return
        n = self.num(cnt["value"], "entities in edition", cid)
        src = cnt.get("source") or {}
        c = self.cite(src["file"], int(src["line"]), needles=[str(cnt["value"])]) if src.get("file") and src.get("line") else ""
        kind = self.T("区县" if eid == "chongqing-2018q3" else "城市", "districts" if eid == "chongqing-2018q3" else "cities")
        self.say(self.T(f"{self.ed(eid)}共评价 {n} 个{kind}。{c}", f"The {self.ed(eid)} covers {n} {kind}. {c}"))

    def do_tiers(self) -> None:
        p = self.p
        eid = p.edition
        self.edition_note()
        cid, res = self.r.call("tiers", edition=eid)
        if "error" in res:
            self.say(self.T(f"{self.ed(eid)}没有划分梯队，以下是排名。", f"The {self.ed(eid)} defines no tiers; here is the ranking instead."))
            p.top_n = p.top_n or 10
            if eid != "chongqing-2018q3":
                return self.do_topn()
            return
        want = _tier_asked(p.question)
        tiers = [t for t in res["tiers"] if want is None or t["tier"] == want]
        self.say(self.T(f"{self.ed(eid)}的梯队划分：", f"Tiers of the {self.ed(eid)}:"))
        for t in tiers:
            label = t["label_zh"] if self.lang == "zh" else t["label_en"]
            self.num(t["tier"], "tier", cid, unit="tier", edition=eid)
            th = self.num(t["threshold"], "tier threshold", cid, decimals=0, edition=eid) if t.get("threshold") is not None else None
            status = {"stated": self.T("报告明示", "stated by the report"), "assumed": self.T("报告未给出，按成员推定", "not stated; derived from the named members"),
                      "unnamed": self.T("报告未命名", "not named by the report")}.get(t["status"], t["status"])
            members = "、".join(t["members"]) if self.lang == "zh" else ", ".join(self.ent(m) for m in t["members"])
            c = self.cite(t["source"]["file"], t["source"]["line"], t["source"]["line"] + (4 if eid == "chongqing-2018q3" else 0),
                          needles=[label]) if t.get("source") else ""
            thr = self.T(f"门槛 {th} 分（{status}）", f"threshold {th} ({status})") if th is not None and t["status"] != "unnamed" else status
            self.say(self.T(f"- **{label}**（{thr}）：{members} {c}", f"- **{label}** ({thr}): {members} {c}"))
            if t.get("stated_members") and set(t["stated_members"]) != set(t["members"]):
                self.say(self.T(f"  报告点名的成员：{'、'.join(t['stated_members'])}", f"  Named by the report: {', '.join(t['stated_members'])}"))

    # ------------------------------------------------------------------ method / definition / search
    def do_method(self) -> None:
        p = self.p
        eids = [p.edition] if p.edition_explicit else ["hardtech-2019", "hardtech-2020"]
        if not p.edition_explicit:
            self.say(self.T("问题未指明版本；两个城市版本的方法如下（二者不同）。", "No edition was named; here are the methods of the two city editions (they differ)."))
        for eid in eids:
            cid, m = self.r.call("methodology", edition=eid)
            if "error" in m:
                self.say(m["error"]["message"])
                continue
            self.say(f"**{self.ed(eid)}**")
            dims = m["dimensions"]
            n_ind = len(m["indicators"])
            ws = [d for d in dims if d.get("weight") is not None]
            parts = []
            for d in dims:
                label = d["zh"] if self.lang == "zh" else f"{d['en']} ({d['zh']})"
                if d.get("weight") is not None:
                    parts.append(f"{label} {self.num(d['weight'] * 100, 'weight', cid, unit='%', decimals=0, edition=eid, dimension=d['key'])}%")
                else:
                    parts.append(label)
            nd = self.num(len(dims), "dimensions", cid)
            wsrc = next((d["source"] for d in dims if d.get("source")), None)
            c = self.cite(wsrc["file"], wsrc["line"], needles=["权重", "%"]) if wsrc else ""
            if ws:
                self.say(self.T(f"- 维度与权重（{nd} 个）：" + "，".join(parts) + f" {c}", f"- Dimensions and weights ({nd}): " + "; ".join(parts) + f" {c}"))
            else:
                self.say(self.T(f"- 维度（{nd} 个，报告未给出权重）：" + "，".join(parts) + f" {c}",
                                f"- Dimensions ({nd}; the report gives no weights): " + "; ".join(parts) + f" {c}"))
            if n_ind:
                ni = self.num(n_ind, "indicators", cid)
                iw = m.get("indicator_weights")
                extra = self.T("，维度内指标等权" if iw == "equal" else "", "; indicators equally weighted within a dimension" if iw == "equal" else "")
                self.say(self.T(f"- 指标：{ni} 个二级指标{extra}。", f"- Indicators: {ni} indicators{extra}."))
            norm = m.get("normalisation") or {}
            if norm.get("method") == "minmax":
                lo, hi = norm.get("range", [0, 100])
                c = self.cite(norm["source"]["file"], norm["source"]["line"], needles=["100"]) if norm.get("source") else ""
                a, b = self.num(lo, "range min", cid), self.num(hi, "range max", cid)
                self.say(self.T(f"- 无量纲化：min-max（效用值法），最好为 {b}、最差为 {a}。{c}",
                                f"- Normalisation: min-max to [{a}, {b}] (best city {b}, worst {a}). {c}"))
            elif norm.get("method"):
                self.say(self.T("- 无量纲化方法：报告未公布。", "- Normalisation: not published by the report."))
            agg = m.get("aggregation") or {}
            agg_txt = {"weighted_sum": self.T("维度得分加权求和", "weighted sum of the dimension scores"),
                       "sum": self.T("三个分指数相加", "sum of the sub-indices"),
                       "published": self.T("只有公布的结果，完整方法见报告完整版", "only published results; the full method is in the full report")}.get(agg.get("method"), agg.get("method"))
            c = self.cite(agg["source"]["file"], agg["source"]["line"]) if agg.get("source") else ""
            self.say(self.T(f"- 汇总：{agg_txt}。{c}", f"- Aggregation: {agg_txt}. {c}"))
            if m.get("data_year"):
                self.say(self.T(f"- 数据年份：{m['data_year']}年。", f"- Data year: {m['data_year']}."))
            if m.get("tiers"):
                tparts = []
                for t in m["tiers"]:
                    label = t["zh"] if self.lang == "zh" else t["en"]
                    thr = t.get("threshold")
                    if isinstance(thr, (int, float)):
                        tparts.append(f"{label} ≥ {self.num(thr, 'tier threshold', cid, decimals=0, edition=eid)}")
                    else:
                        tparts.append(self.T(f"{label}（门槛推定）", f"{label} (threshold assumed)"))
                self.say(self.T("- 梯队：", "- Tiers: ") + self.T("；", "; ").join(tparts))
        if len(eids) == 2:
            self.say(self.T("两版方法不同，分数不能跨版本直接比较。", "The two methods differ, so scores are not comparable across editions."))

    def do_definition(self) -> None:
        cid, res = self.r.ok("search_passages", query="硬科技的定义 概念 米磊 提出 Hard & Core Technology", k=3, document="002")
        hits = (res or {}).get("results", [])
        if not hits:
            return self.do_search()
        f = hits[0]["source_file"]
        lines = _file_lines(f)
        # the definition paragraph (1.2 硬科技的定义) and the origin (1.1), found by their wording
        def_line = next((i + 1 for i, t in enumerate(lines) if "硬科技（Hard & Core Technology）是" in t), None)
        origin = next((i + 1 for i, t in enumerate(lines) if "硬科技的概念最早是由" in t), None)
        if origin and self.p.focus == "origin":
            # "Who coined hard tech, and when?": answer that first, from the passage's own words
            c = self.cite(f, origin, origin + 2, needles=["米磊"])
            q = self.citations[-1].quote
            m = re.search(r"最早是由(.{2,40}?)在\s*((?:19|20)\d{2})\s*年", self.cite_text[self.citations[-1].id].replace(" ", "") or q)
            if m:
                who, year = m.group(1), m.group(2)
                gloss = " (Dr Mi Lei of the Xi'an Institute of Optics and Precision Mechanics, Chinese Academy of Sciences)" if "米磊" in who else ""
                self.say(self.T(f"“硬科技”的概念最早由{who}于 {year} 年独立提出。{c}",
                                f"The concept of “hard tech” was first proposed, independently, in {year} by {who}{gloss}. {c}"))
            self.say(self.T(f"原文：「{q}」{c}", f"The passage (Chinese): “{q}” {c}"))
            origin = None
        if def_line:
            c = self.cite(f, def_line, def_line + 6, needles=["硬科技"])
            q = self.citations[-1].quote
            self.say(self.T(f"报告的定义：「{q}」{c}", f"The report's definition (Chinese): “{q}” {c}"))
            if self.lang == "en":
                self.say("Gloss: hard tech (Hard & Core Technology) means technology products, equipment and systems that come from "
                         "scientific discovery and technical invention, rest on scientific research, and have high technical "
                         "barriers that make them hard to copy; the passage lists the fields it covers today.")
        if origin:
            c = self.cite(f, origin, origin + 2, needles=["米磊"])
            q = self.citations[-1].quote
            self.say(self.T(f"概念的来源：「{q}」{c}", f"Where the term comes from (Chinese): “{q}” {c}"))
            if self.lang == "en":
                self.say("Gloss: the concept was first proposed independently by Dr Mi Lei (米磊) of the Xi'an Institute of Optics "
                         "and Precision Mechanics, Chinese Academy of Sciences, in the year the passage gives.")

    def _search(self, query: str, edition: str | None = None, entity: str | None = None, k: int = 3) -> list[dict]:
        args = {"query": query, "k": k}
        if edition:
            args["edition"] = edition
        if entity:
            args["entity"] = entity
        cid, res = self.r.ok("search_passages", **args)
        return (res or {}).get("results", [])

    def do_search(self) -> None:
        p = self.p
        query = p.question
        low = query.lower()
        for en, zh in _SEARCH_HINTS.items():
            if en in low or en in query:
                query += " " + zh
        hits = self._search(query, p.edition if p.edition_explicit else None, p.entities[0] if p.entities else None)
        if not hits and p.entities:
            hits = self._search(p.question)
        if not hits:
            self.say(self.T("报告中没有找到相关段落。", "I found no relevant passage in the reports."))
            return
        self.say(self.T("报告中最相关的段落：", "The most relevant passages in the reports (quoted in Chinese):"))
        terms = [w for w in re.findall(r"[\u3400-\u9fff]{2,}", p.question + " " + " ".join(retrieval.glossary_terms(p.question)))]
        for h in hits[:2]:
            c = self.cite(h["source_file"], h["lines"][0], h["lines"][1], needles=terms)
            self.say(f"> {self.citations[-1].quote} {c}")

    def do_facts(self) -> None:
        p = self.p
        if p.change:
            return self._change()
        if p.previous_period and p.entities:
            return self._previous_period(p.entities[0])
        if not p.entities:
            return self.do_search()
        ent = p.entities[0]
        cid, res = self.r.ok("facts", entity=ent, **({"edition": p.edition} if p.edition_explicit else {}))
        rows = (res or {}).get("facts", [])
        terms = p.indicator_terms or [w for w in re.findall(r"[\u3400-\u9fff]{2,}", p.question)]
        scored = sorted(((_overlap(terms, r["indicator_zh"] + " " + r["indicator_en"].lower()), i, r) for i, r in enumerate(rows)),
                        key=lambda x: (-x[0], x[1]))
        best = [r for s, _, r in scored if s > 0 and s >= scored[0][0] * 0.6][:6]
        if not best:
            self.say(self.T(f"报告正文没有给出{ent}的这一指标数值。", f"The reports' text states no value of this indicator for {self.ent(ent)}."))
            self.warnings.append("indicator value not stated")
            return self._overview(ent, p.edition)
        eds = list(dict.fromkeys(r["edition"] for r in best))
        self.say(self.T(f"报告给出的{ent}相关指标（{'，'.join(self.ed(e) for e in eds)}）：",
                        f"Indicator values the reports state for {self.ent(ent)} ({'; '.join(self.ed(e) for e in eds)}):"))
        for r in best:
            c = self.cite(r["source_file"], r["line"], needles=[r["printed"]])
            v = self.num(r["value"], r["indicator_en"], cid, unit=r.get("unit"), decimals=_decimals(r["printed"]), entity=ent, edition=r["edition"])
            unit = r.get("unit") or ""
            rk_zh = rk_en = ""
            if r.get("stated_rank") is not None:
                rk = self.rank(r["stated_rank"], f"{r['indicator_en']} rank", cid, entity=ent, edition=r["edition"])
                rk_zh, rk_en = f"，排第 {rk} 名", f", rank {rk}"
            yr = f"{r['year']}年" if r.get("year") else ""
            self.say(self.T(f"- {r['indicator_zh']}：{yr}{v}{unit}{rk_zh} {c}",
                            f"- {r['indicator_en']} ({r['indicator_zh']}): {v}{_UNIT_EN.get(unit, ' ' + unit if unit else '')}"
                            f"{' (' + str(r['year']) + ')' if r.get('year') else ''}{rk_en} {c}"))
        if self.lang == "en":
            self.say(f"> Report (Chinese): “{self.citations[-1].quote}”")
        if any("矛盾" in r["indicator_zh"] for r in best):
            self.warnings.append("the report contradicts itself on this value")

    def _previous_period(self, ent: str) -> None:
        """"Last quarter": the earlier value the report states (the index itself is one quarter)."""
        p = self.p
        eid = p.edition if p.edition == "chongqing-2018q3" else "chongqing-2018q3"
        cid, res = self.r.ok("facts", edition=eid, entity=ent)
        rows = (res or {}).get("facts", [])
        dims = [k for e, k in p.dimension_mentions if e == eid]
        stem = dimension_label(eid, dims[0], "zh") if dims else "双创指数得分"
        level = [r for r in rows if "第2季度" in r["indicator_zh"] and "较" not in r["indicator_zh"] and stem in r["indicator_zh"]]
        change = [r for r in rows if "较第2季度" in r["indicator_zh"] and (stem in r["indicator_zh"] or not dims)]
        if not level and not change:
            self.say(self.T(f"报告没有给出{ent}上一季度（2018年第2季度）的数值；本期（第3季度）的数据如下。",
                            f"The report states no previous-quarter (2018 Q2) value for {self.ent(ent)}; here is the Q3 data."))
            return self._overview(ent, eid)
        for r in level:
            c = self.cite(r["source_file"], r["line"], needles=[r["printed"]])
            v = self.num(r["value"], r["indicator_en"], cid, unit=r.get("unit"), decimals=_decimals(r["printed"]), entity=ent, edition=eid)
            self.say(self.T(f"{ent}上一季度（2018年第2季度）的{r['indicator_zh'].split('（')[0]}为 {v}{r.get('unit') or ''}。{c}",
                            f"{self.ent(ent)}'s {r['indicator_en'].replace(' in 2018 Q2', '').lower()} in the previous quarter (2018 Q2) "
                            f"was {v}{_UNIT_EN.get(r.get('unit') or '', '')}. {c}"))
        scid, sres = self.r.ok("scores", edition=eid, entity=ent)
        if sres and sres.get("composite") is not None and not dims:
            now = self.score(sres["composite"], "composite", scid, entity=ent, edition=eid)
            c = self.cite_measure(sres.get("sources", {}), "composite")
            self.say(self.T(f"本季度（2018年第3季度）为 {now} 分。{c}", f"In this quarter (2018 Q3) it is {now}. {c}"))
        for r in change[:3]:
            c = self.cite(r["source_file"], r["line"], needles=[r["printed"]])
            v = self.num(r["value"], r["indicator_en"], cid, unit=r.get("unit"), decimals=_decimals(r["printed"]), entity=ent, edition=eid)
            self.say(self.T(f"- {r['indicator_zh']}：{v}{r.get('unit') or ''} {c}",
                            f"- {r['indicator_en']}: {v}{_UNIT_EN.get(r.get('unit') or '', '')} {c}"))

    def _change(self) -> None:
        """Quarter-on-quarter rise/fall questions (Chongqing): report what the text states, contradictions included."""
        p = self.p
        eid = "chongqing-2018q3"
        cid, res = self.r.ok("facts", edition=eid)
        rows = (res or {}).get("facts", [])
        dims = [k for e, k in p.dimension_mentions if e == eid]
        names = {k: dimension_label(eid, k, "zh") for k in dims}
        if dims:
            stem = names[dims[0]] + "指数"
            pool = [r for r in rows if r["indicator_zh"].startswith(stem) and r.get("stated_rank") == 1]
        else:
            pool = [r for r in rows if r["indicator_zh"].startswith("双创指数得分") and r.get("stated_rank") == 1]
        word = "增幅" if p.change == "rise" else "降幅"
        pool_dir = [r for r in pool if word + "最大" in r["indicator_zh"] or ("增加" in r["indicator_zh"] and p.change == "rise")
                    or ("降低" in r["indicator_zh"] and p.change == "fall")]
        if not pool_dir:
            return self.do_search()
        ent = pool_dir[0]["entity"]
        what = self.T(names[dims[0]] + "指数" if dims else "双创指数得分", (dimension_label(eid, dims[0], "en").lower() + " index") if dims else "composite score")
        self.say(self.T(f"{self.ed(eid)}：报告称{what}{'增幅' if p.change == 'rise' else '降幅'}最大的是{ent}。",
                        f"{self.ed(eid)}: the report names {self.ent(ent)} as having the largest {'rise' if p.change == 'rise' else 'fall'} in the {what}."))
        for r in pool_dir:
            c = self.cite(r["source_file"], r["line"], needles=[r["printed"]])
            v = self.num(r["value"], r["indicator_en"], cid, unit=r.get("unit"), decimals=_decimals(r["printed"]), entity=r["entity"], edition=eid)
            self.say(self.T(f"- {r['indicator_zh'].split('（')[0]}：{v}{r.get('unit') or ''} {c}",
                            f"- {r['indicator_en'].split(' (')[0]}: {v}{_UNIT_EN.get(r.get('unit') or '', '')} {c}"))
        for note in [n for n in (res or {}).get("notes", []) if n["entity"] == ent and n["kind"] == "contradiction"] if not dims else []:
            self._contradiction(note, pool, rows, cid, eid, p.change)

    def _contradiction(self, note: dict, pool: list[dict], rows: list[dict], cid: str, eid: str, change: str) -> None:
        """A contradiction the report makes (a reviewed note in the edition's data): both claims, as printed, cited."""
        ent, (first, last) = note["entity"], note["lines"]
        claims = [r for r in pool if r["entity"] == ent and first <= r["line"] <= last]
        what = [r["indicator_zh"].split("（")[0] for r in claims]  # the measure itself, not the annotation
        rise = [r for r, w in zip(claims, what) if "增" in w]
        fall = [r for r, w in zip(claims, what) if "降" in w]
        self.warnings.append(f"contradiction in the report about {ent} ({note['source_file']}, lines {first}-{last})")

        def listed(group: list[dict]) -> tuple[str, str]:
            if not group:
                return "", ""
            c = self.cite(group[0]["source_file"], group[0]["line"] - 2, group[-1]["line"], needles=[x["printed"] for x in group])
            v = self.T("、", ", ").join(
                self.num(x["value"], x["indicator_en"], cid, unit=x.get("unit"), decimals=_decimals(x["printed"]), entity=ent, edition=eid)
                + self.T(x.get("unit") or "", _UNIT_EN.get(x.get("unit") or "", "")) for x in group)
            return v, c

        (up, ca), (dn, cb) = listed(rise), listed(fall)
        self.say(self.T(f"**注意：**{note['zh']}", f"**Caution:** {note['en']}"))
        self.say(self.T(f"- 增幅最大的说法：增加 {up} {ca}\n- 降幅最大的说法：降低 {dn} {cb}",
                        f"- the \"largest rise\" claim: +{up} {ca}\n- the \"largest fall\" claim: −{dn} {cb}"))
        pcid, pres = self.r.ok("scores", edition=eid, entity=ent)
        if pres and pres.get("composite") is not None:
            comp = self.score(pres["composite"], "composite", pcid, entity=ent, edition=eid)
            c = self.cite_measure(pres.get("sources", {}), "composite")
            self.say(self.T(f"{ent}本季度双创指数得分 {comp} {c}。", f"{self.ent(ent)}'s score this quarter is {comp} {c}."))
        others = [x for x in rows if x["entity"] != ent and "上升" in x["indicator_zh"] and x.get("unit") == "分"]
        if others and change == "rise":
            x = others[0]
            c = self.cite(x["source_file"], x["line"], needles=[x["printed"]])
            v = self.num(x["value"], x["indicator_en"], cid, unit="分", decimals=_decimals(x["printed"]), entity=x["entity"], edition=eid)
            self.say(self.T(f"另一处报告明确写出的增幅：{x['entity']}双创指数得分较上季度上升 {v} 分 {c}。",
                            f"Another rise the report states: {self.ent(x['entity'])} gained {v} points over the previous quarter {c}."))

    # ------------------------------------------------------------------ what-if / sensitivity
    def do_whatif(self) -> None:
        p = self.p
        eid = p.edition if p.edition in CITY_EDITIONS else "hardtech-2019"
        if p.edition not in CITY_EDITIONS:
            self.say(self.T(f"{self.ed(p.edition)}没有带权重的维度得分，无法做权重假设；以下用{self.ed(eid)}。",
                            f"The {self.ed(p.edition)} has no weighted dimension scores, so a what-if needs another edition; using the {self.ed(eid)}."))
        weights = p.weights or {d.key: 1.0 for d in io.load_edition(eid).spec.dimensions}
        cid, res = self.r.call("whatif", edition=eid, weights=weights)
        if "error" in res:
            self.say(res["error"]["message"])
            return
        base = ", ".join(f"{self.dim(eid, k)} {self.num(v * 100, 'baseline weight', cid, unit='%', decimals=0, edition=eid, dimension=k)}%"
                         for k, v in res["baseline_weights"].items())
        new = ", ".join(f"{self.dim(eid, k)} {self.num(v * 100, 'new weight', cid, unit='%', decimals=0, edition=eid, dimension=k)}%"
                        for k, v in res["weights"].items())
        self.say(self.T(f"{self.ed(eid)}：把权重从（{base}）改为（{new}）后：", f"{self.ed(eid)}: re-weighting from ({base}) to ({new}):"))
        focus = [e for e in res["entities"] if e["name"] in p.entities]
        rows = res["entities"][:10] if not focus else focus
        for e in rows:
            comp = self.score(e["composite"], "what-if composite", cid, entity=e["name"], edition=eid)
            rk = self.rank(e["rank"], "what-if rank", cid, entity=e["name"], edition=eid)
            br = self.rank(e["baseline_rank"], "baseline rank", cid, entity=e["name"], edition=eid)
            ch = e["rank_change"] or 0
            chs = self.T("名次不变" if ch == 0 else (f"上升 {self.num(abs(ch), 'rank change', cid)} 位" if ch > 0 else f"下降 {self.num(abs(ch), 'rank change', cid)} 位"),
                         "unchanged" if ch == 0 else (f"up {self.num(abs(ch), 'rank change', cid)}" if ch > 0 else f"down {self.num(abs(ch), 'rank change', cid)}"))
            self.say(self.T(f"- {e['name']}：{comp} 分，第 {rk} 名（原第 {br} 名，{chs}）",
                            f"- {self.ent(e['name'])}: {comp}, rank {rk} (was {br}, {chs})"))
        movers = sorted((e for e in res["entities"] if e["rank_change"]), key=lambda e: -abs(e["rank_change"]))[:3]
        if movers and not focus:
            parts = []
            for e in movers:
                ch = e["rank_change"]
                parts.append(self.T(f"{e['name']}（{'+' if ch > 0 else '-'}{self.num(abs(ch), 'rank change', cid)}）",
                                    f"{self.ent(e['name'])} ({'+' if ch > 0 else '-'}{self.num(abs(ch), 'rank change', cid)})"))
            self.say(self.T("变动最大：", "Biggest moves: ") + self.T("、", ", ").join(parts))
        self.say(self.T("这是假设计算，不是报告公布的结果；梯队门槛保持原值。", "This is a hypothetical computation, not a published result; tier thresholds stay as in the baseline."))

    def do_sensitivity(self) -> None:
        p = self.p
        eid = p.edition if p.edition in CITY_EDITIONS else "hardtech-2020"
        cid, res = self.r.call("sensitivity", edition=eid, draws=1000, seed=0)
        if "error" in res:
            self.say(res["error"]["message"])
            return
        draws = self.num(res["draws"], "draws", cid)
        spread = self.num(res["spread"] * 100, "spread", cid, unit="%", decimals=0)
        self.say(self.T(f"{self.ed(eid)}：在 {draws} 次随机扰动权重（±{spread}%）下，名次的稳定性：",
                        f"{self.ed(eid)}: rank stability over {draws} random weight perturbations (±{spread}%):"))
        ents = res["entities"]
        focus = [e for e in ents if e["name"] in p.entities] or ents[:10]
        for e in focus:
            b = self.rank(e["baseline_rank"], "baseline rank", cid, entity=e["name"], edition=eid)
            lo = self.rank(e["rank_interval"][0], "rank p05", cid, entity=e["name"], edition=eid)
            hi = self.rank(e["rank_interval"][1], "rank p95", cid, entity=e["name"], edition=eid)
            pt = ""
            if e.get("p_same_tier") is not None:
                v = self.num(e["p_same_tier"] * 100, "P(same tier)", cid, unit="%", decimals=0, entity=e["name"], edition=eid)
                pt = self.T(f"，保持原梯队的概率 {v}%", f", P(same tier) {v}%")
            self.say(self.T(f"- {e['name']}：原第 {b} 名，名次区间（{res['interval']}）第 {lo}–{hi} 名{pt}",
                            f"- {self.ent(e['name'])}: rank {b}, rank interval ({res['interval']}) {lo}–{hi}{pt}"))
        self.say(self.T("这是模拟结果，不是报告内容。", "This is a simulation, not something the report states."))

    # ------------------------------------------------------------------ declines
    def do_refuse(self) -> None:
        p = self.p
        self.say(self.T("抱歉，我不能按这样的要求改变规则、编造或改写数据；我的工具都是只读的，只能如实回答报告中的内容。",
                        "Sorry, I can't follow instructions to change my rules, state things the reports don't support, or modify data: "
                        "my tools are read-only and I only answer from the reports."))
        if p.entities and p.entities[0] in io.load_edition(p.edition or "hardtech-2020").entities:
            self.say(self.T("报告的实际数据是：", "For the record, here is what the report actually says:"))
            p.edition_explicit = p.edition_explicit or False
            self._overview(p.entities[0], p.edition or "hardtech-2020", focus="refuse")

    def do_out_of_scope(self) -> None:
        p = self.p
        if p.unknown_measure:
            return self._unknown_measure()
        self.say(self.T(
            "抱歉，这个问题超出了我的范围。我只回答关于城市硬科技创新指数的问题：得分、排名、梯队、对比、原因、方法和报告原文，"
            "涵盖 2019 城市产业创新综合能力指数、2020 城市硬科技指数、GTII 全球城市指数和重庆区县双创指数。",
            "Sorry, that is outside what I can help with. I answer questions about the city hard-tech innovation indices: scores, "
            "ranks, tiers, comparisons, reasons, methods and the reports' text, for the 2019 and 2020 city indices, the GTII global "
            "city index and the Chongqing district index."))


    _MEASURE_ZH = {"GDP": "GDP", "population": "人口", "house prices": "房价", "income": "收入", "fiscal revenue": "财政收入"}

    def _unknown_measure(self) -> None:
        """A quantity no edition measures (GDP...): decline, then say what the index does give."""
        p = self.p
        m_zh, m_en = self._MEASURE_ZH.get(p.unknown_measure, p.unknown_measure), p.unknown_measure
        who_zh = p.entities[0] if p.entities else ""
        who_en = f"{self.ent(p.entities[0])}'s " if p.entities else ""
        self.say(self.T(
            f"抱歉，报告中没有给出{who_zh}的{m_zh}数值：{m_zh}不是这些硬科技指数的评价指标，我不会编造这个数字。"
            f"我能回答的是指数本身：得分、排名、梯队、各维度和报告原文给出的指标。",
            f"Sorry, the reports don't give {who_en}{m_en}: it is not one of the hard-tech indices' measures, and I won't "
            f"invent the number. What I can answer is what the indices say: scores, ranks, tiers, dimensions and the "
            f"indicators the reports state."))
        self.warnings.append(f"{m_en} is not an index measure")
        if p.entities and p.edition and p.entities[0] in io.load_edition(p.edition).entities:
            self.say(self.T("该指数对它的评价：", "What the index does say about it:"))
            self._overview(p.entities[0], p.edition, focus="out_of_scope")


# ----------------------------------------------------------------------------- utilities
# Question words whose report wording the glossary does not carry (added to passage queries).
_SEARCH_HINTS = {"regional": "地区分布 态势", "pattern": "格局 态势", "distribution": "分布", "geograph": "地区 东部 西部",
                 "east": "东部", "west": "西部", "south": "南方", "north": "北方", "future": "未来产业", "market": "市场规模"}

@functools.lru_cache(maxsize=None)
def _file_lines(source_file: str) -> tuple[str, ...]:
    from vectorstore.corpus import read_lines

    return read_lines(source_file)


@functools.lru_cache(maxsize=1)
def _chunks_by_file() -> dict[str, list]:
    from vectorstore.corpus import build_chunks

    out: dict[str, list] = {}
    for c in build_chunks():
        out.setdefault(c.source_file, []).append(c)
    return out


def _decimals(printed: str) -> int:
    t = str(printed).replace(",", ".") if re.fullmatch(r"\d+,\d{1,2}", str(printed)) else str(printed).replace(",", "")
    return len(t.split(".", 1)[1]) if "." in t else 0


def _overlap(terms: list[str], text: str) -> float:
    score = 0.0
    for t in terms:
        if t in text:
            score += len(t)
        else:
            bi = {t[i:i + 2] for i in range(len(t) - 1)}
            score += 0.5 * sum(1 for b in bi if b in text)
    return score


_TIER_WORDS = {"第一": 1, "第二": 2, "第三": 3, "第四": 4, "第五": 5, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}


def _tier_asked(q: str) -> int | None:
    m = re.search(r"(第[一二三四五])(?:梯队|类)", q)
    if m:
        return _TIER_WORDS[m.group(1)]
    m = re.search(r"(?i)\b(first|second|third|fourth|fifth)\s+(?:tier|class)", q)
    if m:
        return _TIER_WORDS[m.group(1).lower()]
    m = re.search(r"(?i)\b(?:tier|class)\s*([1-5])\b", q)
    if m:
        return int(m.group(1))
    return None


def _fact_dimension(eid: str, row: dict) -> str | None:
    spec = io.load_edition(eid).spec
    if row.get("indicator_no"):
        for i in spec.indicators:
            if i.no == row["indicator_no"]:
                return i.dimension
    name = row["indicator_zh"]
    best, score = None, 0.0
    for i in spec.indicators:
        s = _overlap([name], i.zh) / max(1, len(name))
        # 中央级普通高等学校数量 / 中央级科研院所数量 are the two halves of indicator 1
        if "中央级" in name and "中央级" in i.zh:
            s += 1
        if s > score:
            best, score = i.dimension, s
    return best if score >= 0.5 else None


def compose(plan: Plan, runner: ToolRunner) -> Envelope:
    return Composer(plan, runner).compose()
