"""The year before, as a report prints it beside its own lists ("GTII七个领域里，TOP10平均分从2018到2019
涨得最多的是哪个领域", "how much did the IT TOP10 entry threshold rise from 2018?"). The 2018 GTII is
not in the corpus, but the 2019 report states each field's 2018 TOP10 average and entry threshold
(``stated.yaml`` ``year_before``, the ``year_before`` tool): those, against 2019's, are the answer,
never "there is no 2018 edition"."""
from __future__ import annotations

import functools

from index_core import io

from ...tools import ToolRunner
from ..frame import Frame
from ..understand.lexicon import Words
from . import editions
from .blocks import Bullets, Cite, Dim, Ed, Ent, Join, Line, P
from .scores import score
from .vocab import rules


@functools.lru_cache(maxsize=None)
def _year(edition: str) -> int | None:
    return (io.load_edition(edition).stated.get("year_before") or {}).get("year")


def _words(key: str) -> Words:
    return Words.of(rules()["year_before"][key])


def _stats(low: str) -> tuple[str, ...]:
    """The figures asked: the TOP10 average ("mean"), the entry threshold ("min"), or both."""
    asked = tuple(what for what in ("mean", "min") if _words(what)(low))
    return asked or ("mean", "min")


def answers(frame: Frame) -> bool:
    """Does ``frame`` ask how an edition's lists moved from the year its report prints beside them?"""
    eid = frame.editions[0] if frame.editions else None
    year = _year(eid) if eid else None
    low = frame.question.lower()
    return year is not None and (str(year) in low or _words("before")(low)) and \
        (_words("mean")(low) or _words("min")(low)) and not frame.entities


def handle(frame: Frame, tools: ToolRunner) -> list:
    eid = frame.editions[0]
    cid, res = tools.ok("year_before", edition=eid)
    rows = [r for r in (res or {}).get("rows", []) if r["change"] is not None]
    low = frame.question.lower()
    asked = _stats(low)
    if frame.dimension and any(r["dimension"] == frame.dimension for r in rows):
        rows = [r for r in rows if r["dimension"] == frame.dimension]
    rows = [r for r in rows if r["what"] in asked]
    if not rows:
        return []
    year = res["year"]
    out: list = []
    most = "most" if _words("most")(low) else "least" if _words("least")(low) else None
    if most and len({r["dimension"] for r in rows}) > 1:
        what = asked[0]
        ranked = sorted((r for r in rows if r["what"] == what), key=lambda r: r["change"], reverse=most == "most")
        out.append(Line(P(f"year_before.{most}", edition=Ed(eid), year=str(year), stat=P(f"year_before.{what}"),
                          item=_item(ranked[0], eid, cid, year, "year_before.brief"))))
        rows = ranked
    lines = [_item(r, eid, cid, year) for r in rows]
    out.append(Bullets(lines) if len(lines) > 1 else Line(lines[0]))
    return out


def _item(r: dict, eid: str, cid: str, year: int, key: str = "year_before.row") -> P:
    """One field's figure: the year before (with the city then at tenth), now, and the change, cited."""
    kw = {"edition": eid, "dimension": r["dimension"]}
    before, now = r["before"], r["now"]
    holder = P("year_before.holder", entity=Ent(before["holder"])) if before.get("holder") else ""
    cites = Join([Cite(x["source_file"], x["line"], needles=(x["printed"],)) for x in (before, now)
                  if not (x is now and now["line"] == before["line"])], "sep.space")
    return P(key, dim=Dim(eid, r["dimension"]), stat=P(f"year_before.{r['what']}"), year=str(year), now_year=str(editions.year(eid)),
             before=score(before["value"], f"{year} {r['what']}", cid, **kw), holder=holder,
             now=score(now["value"], f"{r['what']} now", cid, **kw),
             direction=P("year_before.up" if r["change"] >= 0 else "year_before.down"),
             change=score(abs(r["change"]), "change", cid, **kw), cite=cites)
