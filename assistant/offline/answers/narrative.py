"""narrative: anything else the reports' text answers. The best-answering sentence inside the
retrieved passages is stated first, with its citation; the next best follow as quotes.

:func:`answers_instead` is the router's check before an index handler runs: a question about a
figure the editions do not measure (a city's R&D spending in a journal article, a market size in
the 2024 white paper's news) is answered from the text instead of refused or met with a score."""
from __future__ import annotations

import functools
import re

from ... import concept_index, retrieval
from ...concept_keys import LIKE
from ...tools import ToolRunner
from ..frame import Frame
from . import concepts, editions, passages, text_asked, years
from .blocks import Line, P, Quote, Verbatim, Warn
from .vocab import words

K = 6
WHOLE_REPORT = 1000  # lines an entry's source spans when it describes a whole report, not a passage of it
WIDER = 1.5  # how much better a sentence from the whole corpus must score to beat one from the edition's own report
# Operations answered from an edition's figures, which a reviewed entry of the reports' text may answer instead.
FIGURE_OPERATIONS = {"lookup", "compare", "gap", "rank", "leader", "count", "tier", "change", "breakdown", "method",
                     "coverage"}
TAKE_SHARED = 10.0  # weight of a name's words the question must share (concept_index._weights)
SURE_LINK = 90  # a dimension linked at least this surely is what the question asks about
TAKEN = "reports_text"  # frame.reason of a figure question the router handed to the text (answers_instead)


def _names_only(frame: Frame) -> bool:
    """A question that is nothing but names ("Shapingba", "北京 上海 2020") asks for their figures."""
    rest = frame.question
    for link in sorted(frame.links, key=lambda x: -len(x.surface)):
        rest = rest.replace(link.surface, " ")
    return any(link.kind == "entity" for link in frame.links) and not any(c.isalnum() for c in rest)


def answers_instead(frame: Frame) -> str | None:
    """Why a reviewed entry of the reports' text, about no edition, answers ``frame`` rather than
    the index (``None``: the index does). No facts table holds the indicator it names for its
    entity, it names no dimension surely and no index word (score, rank, tier, weight…), the
    entry is about its entity (if any), and the entry surely states what it asks."""
    if frame.operation not in FIGURE_OPERATIONS or frame.reason in ("unknown_measure",) or _names_only(frame) or \
            _banded(frame):
        return None
    own = text_asked.entry(frame)  # what an edition is or how it is made: "where do its statistics come from"
    if own:
        return f"the reports' text says what it asks of the index ({own['id']})"
    # "in the smart hardware article, what share…", "重庆科研机构研发经费那篇文章说…": that article's text
    article = _named_article(frame.question) if _says_article(frame.question) else None
    if article and all(concept_index.mentions(article, name) for name in frame.entities):
        return f"the question names an article of the reports ({article['id']})"
    if frame.indicator and any(editions.has_fact(e, frame.indicator) for e in frame.entities):
        return None  # the facts tables answer, with the line the report prints it on
    found = _ranked(frame.question)
    entry = found[0][1] if found else None
    if entry is None or entry.get("edition") or concept_index.says_index_word(frame.question, entry):
        return None
    about = any(concept_index.mentions(entry, name) for name in frame.entities)
    if frame.entities and not about and editions.entities_in(concept_index.text_of(entry)):
        return None  # the text answers about someone else (Chongqing's survey is no answer about Chengdu)
    if frame.indicator and frame.entities and not about and editions.stated_anywhere(frame.indicator):
        return None  # "深圳有几家科创板上市企业": stated for other places only, which the lookup says first
    # an indicator with no fact for the entity is no answer; a dimension always has scores
    surely = [link for link in frame.links if link.kind == "dimension" and link.target and link.score >= SURE_LINK
              and link.method not in ("fuzzy", "pinyin")]
    sure = bool(surely)
    # a list asked of a dimension, even one linked through a slip ("硬科技企亚指数倒数三名"), is its ranking
    if any(link.kind == "dimension" and link.target for link in frame.links) and _asks_for_places(frame) and \
            not editions.entities_in(concept_index.text_of(entry)):
        return None  # "航空航天前十有哪些城市": the dimension's ranking, not a text that names no place
    # ...and is the index's, unless the question names the entry or says all of a long name
    # a name said only inside a dimension's longer name (硬科技 in 硬科技投入) is the dimension's
    own = {n.casefold() for n in concept_index.names(entry)}
    asked = frame.question
    for link in surely:
        if link.surface.casefold() not in own:
            asked = asked.replace(link.surface, " ")
    strength = concept_index.strength(entry, "", asked)
    whole = strength["named"] or strength["share"] >= 1.0 and strength["shared"] >= 2 * TAKE_SHARED
    if _answers(entry, asked) and (whole or not sure):
        return f"the reports' text answers it ({entry['id']}), not an edition's figures"
    return None


def text_measure(frame: Frame, tools: ToolRunner) -> str | None:
    """Why the reports' text answers a lookup of something no edition measures ("重庆的双一流高校有几所"):
    it names an entity but no dimension, indicator or index word, and the best passage about the
    entity says what it asks (a sentence holding one of its :func:`passages.subject_pieces`)."""
    if _banded(frame):
        return None
    if frame.operation != "lookup" or not frame.entities:
        return text_asked.figure_in_text(frame, tools)  # "广东有多少个专业镇": a figure no edition ranks
    if not frame.entities or frame.dimension or frame.indicator or frame.period or frame.aspect in ("rank", "tier") or \
            frame.edition_source == "explicit" or concept_index.says_index_word(frame.question) or _names_only(frame):
        return None  # "Jiulongpo class": an index's facet asked of the place
    pieces = passages.subject_pieces(frame.question, tuple(frame.entities)) or text_asked.pieces(frame)  # English: glossary terms
    if not pieces:
        return None
    hits = passages.search(tools, " ".join((*frame.entities, frame.question)), k=K, entity=frame.entities[0])
    found = passages.best(hits, frame.question, k=1, extra=tuple(frame.entities))
    if passages.supported(found) and any(p in found[0].text for p in pieces):
        return f"no edition measures what it asks; the text about {frame.entities[0]} does"
    return None


def _banded(frame: Frame) -> bool:
    """A score band ("30到40分之间", "above 50") is asked of an edition's figures, never of the text."""
    return any(f.field in ("score_min", "score_max") for f in frame.filters or ())


def _asks_for_places(frame: Frame) -> bool:
    """Is the answer a list or one of an edition's entities (the top N, who leads), with none named?"""
    return not frame.entities and (frame.operation == "leader" or frame.operation in ("rank", "count") and bool(frame.n))


def _answers(entry: dict | None, question: str) -> bool:
    """An entry about no edition that the question names, or most of one of whose names it says
    (a looser bar than :func:`concept_index.states`: such an entry has no edition to compete with)."""
    if not entry or entry.get("edition"):
        return False
    strength = concept_index.strength(entry, question, question)
    return strength["named"] or strength["shared"] >= TAKE_SHARED and strength["share"] >= LIKE


def handle(frame: Frame, tools: ToolRunner):
    # a reviewed concept entry that surely states the answer comes before a search of the text
    _, res = tools.ok("concept", topic=frame.topic or frame.question, question=frame.question,
                      **({"edition": frame.editions[0]} if frame.editions and frame.edition_source == "explicit" else {}))
    res = None if _named_in_passing(frame.question, res) else _linked(frame, tools, res)
    res = _within_report(frame, res)
    if frame.entities and frame.dimension and (res or {}).get("concept") and \
            not any(concept_index.mentions(res["concept"], e) for e in frame.entities):
        res = None  # "渝中区双创成效怎么样": what the report says of that place on it, not what the sub-index is
    report = None
    if _whole_report(frame, (res or {}).get("concept")):
        # "what does the 2020 white paper say about Hefei?": not what the report is, what it says of Hefei
        named = concept_index.strength(res["concept"], None, frame.question)["named"]  # "the 2020 white paper", not "白皮书"
        report, res = res["concept"].get("report") if named else None, None
    own = text_asked.stated(frame) if frame.reason == TAKEN else None
    if own:  # the router took it for what the entry about its edition states
        res = {"concept": own, "strength": {"named": True, "shared": 0.0, "share": 0.0}, "also": []}
    inside = _inside_article(frame, res)
    if inside:  # an article's summary (or one the question names) is not what it asks: its sentence is
        return _no_report(frame, inside.text) + _lead(inside)
    if concepts.states(res) or frame.reason == TAKEN and _answers((res or {}).get("concept"), frame.question):
        entry = res["concept"]
        article = entry.get("kind") == "article"
        # an entry inside the article the question names ("调研报告里说…"): that article's lines
        parent = entry if article else _article_holding(entry, _named_article(frame.question) or (
            None if any(link.kind == "edition" for link in frame.links) else _said_article(frame.question)))
        inner = (_article_sentence(frame, parent) if parent else None) or \
            (None if article else _report_sentence(frame, tools, entry))
        stated = concepts.blocks(concepts.clauses(frame, res), frame.language, frame.aspect)
        summary = " ".join(str(v) for v in (entry.get("answer") or {}).values())  # what the reply states of it
        place = passages.place_asked(frame.question)  # "哪个区县…最多": a place, which a summary rarely names
        # a report named as where to look ("what does the 2024 white paper say about the market size?")
        # asks what it says of the rest of the question, figure or not
        asks_figure = any(w in frame.question.lower() for w in passages.sentence_vocabulary()["figure_question"]) or \
            bool(place) or not article
        names = inner is not None and bool(place) and passages.names_place(inner.text, place, frame.question) and \
            not passages.names_place(summary, place, frame.question)
        if inner and asks_figure and (names or text_asked.says_more(frame.question, inner.text, summary)):
            return _no_report(frame, inner.text) + _lead(inner) + stated  # what was asked, then what the article is
        # an inner sentence saying no more than the summary is not stated after it: its lines fall
        # inside the article's cited range, whose quote is the summary's (its numbers would be unverified)
        return _no_report(frame, entry.get("quote") or "") + stated + concepts.supporting(frame, tools, entry)
    # a facet asked (origin, parts…): the topic and the facet's cue words find it best; else topic and question
    focus = passages.cues(frame.aspect) if frame.topic else ()
    parts = (frame.topic, *frame.entities, *focus) if focus else (frame.topic, *frame.entities, frame.question)
    query = " ".join(dict.fromkeys(x for x in parts if x))
    docs = years.documents_of(frame.year) if years.uncovered(frame) else []
    filters = {"edition": _scope(frame),
               "entity": frame.entities[0] if frame.entities else None, "document": docs[0]["id"] if docs else report}
    hits = passages.search(tools, query, k=K, **filters)
    question = f"{frame.question} {frame.topic or ''}"
    # a follow-up ("中国呢？", "那2022年呢") asks what is new in it: its own words count most
    own = passages.own_words(frame.question) if frame.understood_by == "follow_up" or "topic" in frame.inherited else ()
    own = own if len(own) <= 2 else ()  # a long turn says what it asks in full
    must = own if own and any(w in (h.get("text") or "") for h in hits for w in own) else ()  # …and is said there
    found = passages.best(hits, question, k=3, extra=(*frame.entities, *own), must=must, aspect=frame.aspect,
                          subject=frame.topic)
    if filters["edition"] and not filters["document"]:
        # the edition read from "Chongqing district" may not be the report that answers ("…research-institute R&D
        # spending", another article of the same journal): the whole corpus, when it answers clearly better
        wide = passages.best(passages.search(tools, query, k=K, entity=filters["entity"]), question, k=3,
                             extra=(*frame.entities, *own), must=must, aspect=frame.aspect, subject=frame.topic)
        if passages.supported(wide) and (not found or wide[0].score >= WIDER * found[0].score):
            found = wide
    if not passages.supported(found) and any(filters.values()):
        hits = passages.search(tools, f"{query} {frame.question}", k=K)
        found = passages.best(hits, question, k=3, extra=tuple(frame.entities), aspect=frame.aspect)
    if not passages.supported(found):
        return [Line(P("narrative.nothing")), Warn("no passage answers the question")]
    best, *more = found
    out: list = _no_report(frame, best.text) + _lead(best)
    more = [s for s in more if s.score >= passages.SUPPORT]
    if more:
        out.append(Line(P("narrative.more")))
        out += [Quote(s.cite()) for s in more]
    return out


def _linked(frame: Frame, tools: ToolRunner, res: dict | None) -> dict | None:
    """The entry a concept's name said in the question links to ("the four properties of hard tech"),
    when the question's other words found a looser one (a chapter's author's name)."""
    linked = next((link.target for link in frame.links if link.kind == "concept" and link.target and
                   link.method in ("alias", "exact")), None)
    entry = next((e for e in concept_index.entries() if e["id"] == linked), None) if linked else None
    if entry is None or concept_index.states(res) or ((res or {}).get("concept") or {}).get("id") == linked:
        return res
    _, own = tools.ok("concept", topic=concept_index.names(entry)[1], question=frame.question)
    return own if concept_index.states(own) and own["concept"]["id"] == linked else res


def _named_in_passing(question: str, res: dict | None) -> bool:
    """Was the entry found by a name the question says only inside a longer word of the tokenizer's
    dictionary (硬科技 in 硬科技之都: a city's title, not the concept)?"""
    entry = (res or {}).get("concept")
    if not entry or not (res.get("strength") or {}).get("named"):
        return False
    spans = [(a, b) for word, a, b in retrieval.words_at(question) if retrieval.in_dictionary(word)]
    said = [m for name in concept_index.names(entry)[1:] if re.search(r"[\u3400-\u9fff]", name)
            for m in re.finditer(re.escape(name), question)]
    return bool(said) and all(any(a <= m.start() and m.end() <= b and b - a > m.end() - m.start() for a, b in spans)
                              for m in said)


def _whole_report(frame: Frame, entry: dict | None) -> bool:
    """Is ``entry`` the description of a whole report (its lines span most of it) that says nothing
    of the places the question asks about, or of the rarer words its topic carries ("自然 指数" after
    a turn that named the report)?"""
    lines = ((entry or {}).get("source") or {}).get("lines") or [0]
    if not entry or lines[-1] - lines[0] < WHOLE_REPORT:
        return False
    if frame.entities:
        return not any(concept_index.mentions(entry, e) for e in frame.entities)
    said = " ".join(str(v) for v in (entry.get("answer") or {}).values()) + (entry.get("quote") or "")
    return text_asked.says_more(frame.topic or frame.question, frame.topic or frame.question, said)


def _lead(sentence: passages.Sentence) -> list:
    """The sentence that answers, stated with its document and citation."""
    return [Line(P("narrative.lead", title=sentence.doc_title or "", sentence=Verbatim(sentence.text, sentence.cite()),
                   cite=sentence.cite()))]


@functools.lru_cache(maxsize=256)
def _ranked(question: str) -> list:
    """The entries a question could be about, best first (one ranking per question: the router's
    check and the answer share it). Read only."""
    return concept_index.ranked(question, None, question)


def _says_article(question: str) -> bool:
    low = question.lower()
    return any(w in low for w in words("article_words"))


def _named_article(question: str) -> dict | None:
    """An article of the reports that the question names ("per the article on industrial innovation
    centres"), or, when it says it asks an article ("in the smart hardware article", "那篇文章说"),
    the best-matching article most of one of whose names it says."""
    articles = [e for _, e in _ranked(question)[:ARTICLES] if e.get("kind") == "article"]
    named = next((e for e in articles if concept_index.strength(e, None, question)["named"]), None)
    if named or not _says_article(question):
        return named
    return next((e for e in articles if concept_index.strength(e, None, question)["share"] >= LIKE), None)


def _inside_article(frame: Frame, res: dict | None) -> passages.Sentence | None:
    """The sentence inside an article that answers the question, when the question names the article
    ("per the article on industrial innovation centres") and the entry found lies outside it (another
    report's R&D figures): the article's lines are searched sentence by sentence."""
    found = (res or {}).get("concept") or {}
    article = _named_article(frame.question)
    if not article or found.get("id") == article["id"]:
        return None  # an article's own summary the question names answers first
    src = article["source"]
    own = found.get("source") or {}
    if own.get("file") == src["file"] and src["lines"][0] <= own["lines"][0] <= src["lines"][-1]:
        return None  # the entry found is a statement inside the article already
    return _article_sentence(frame, article)


def _report_sentence(frame: Frame, tools: ToolRunner, entry: dict) -> passages.Sentence | None:
    """The sentence of the report an entry is named as ("the 2024 white paper") that best answers the
    rest of the question, if one does; ``None`` when the question names no report's entry."""
    low = frame.question.lower()
    said = [n.lower() for n in concept_index.names(entry)[1:] if n.lower() in low]
    if not entry.get("report") or not any(w in n for n in said for w in passages.sentence_vocabulary()["report_words"]):
        return None
    hits = passages.search(tools, frame.question, k=6, document=entry["report"])
    # the report's names say where to look ("the 2024 white paper"), not what is asked there; its word for
    # itself stays ("《白皮书》披露…": the report's own statement)
    report_words = [w for w in passages.sentence_vocabulary()["report_words"] if w in low]
    asked = " ".join([_unnamed(frame.question, concept_index.names(entry)[1:]), *report_words])
    best = passages.best(hits, asked, k=1, extra=tuple(frame.entities))
    return best[0] if passages.supported(best) else None


def _article_sentence(frame: Frame, article: dict) -> passages.Sentence | None:
    """The sentence of ``article``'s lines that best answers the question, if one does (an article's
    summary says what it is about; the sentence says what was asked: "来自企业的R&D经费1.55亿元")."""
    src = article["source"]
    hit = {"source_file": src["file"], "lines": [src["lines"][0], src["lines"][-1]],
           "doc_title": (article.get("title") or {}).get("zh", "")}
    # a place the article is about is in all of it: its name tells its sentences apart no more
    extra = tuple(e for e in frame.entities if not concept_index.mentions(article, e))
    # the article named as where to look ("调研报告里说…", "in the survey…"): its name is not what is asked there
    low = frame.question.lower()
    named = any(w in low for w in (*words("article_words"), *passages.sentence_vocabulary()["report_words"])) or \
        concept_index.strength(article, None, frame.question)["named"]
    asked = _unnamed(frame.question, concept_index.names(article)[1:]) if named else frame.question
    best = passages.best([hit], asked, k=1, extra=extra)
    return best[0] if passages.supported(best) else None


def _said_article(question: str) -> dict | None:
    """The best-matching article most of one of whose names the question says ("重庆科技创新工作调研报告")."""
    return next((e for _, e in _ranked(question)[:ARTICLES] if e.get("kind") == "article" and
                 concept_index.strength(e, None, question)["share"] >= LIKE), None)


def _article_holding(entry: dict, article: dict | None) -> dict | None:
    """``article`` when its lines hold ``entry``'s (a survey's list of achievements, inside the survey)."""
    src, own = entry.get("source") or {}, (article or {}).get("source") or {}
    lines = src.get("lines") or ([src["line"]] if src.get("line") else [])
    if not lines or not own.get("lines") or own.get("file") != src.get("file"):
        return None
    return article if own["lines"][0] <= lines[0] and lines[-1] <= own["lines"][-1] else None


NAME_PIECE = 3  # characters of an article's name a question must say in a row for them to name it


def _unnamed(question: str, names: list[str]) -> str:
    """The question without the runs of characters it shares with the article's names ("重庆科技创新工作
    调研报告里说…": 科技创新工作, 调研报告), which name where to look, not what is asked there."""
    out, i = [], 0
    while i < len(question):
        j = next((j for j in range(len(question), i + NAME_PIECE - 1, -1) if any(question[i:j] in n for n in names)), None)
        if j is None:
            out.append(question[i])
            i += 1
        else:
            out.append(" ")
            i = j
    return "".join(out)


ARTICLES = 8  # how far down the entries a question's best matches an article it names may be


WITHIN_SHARED = 3.0  # inside the one report a question names, a smaller share of a name's words finds its entry


def _within_report(frame: Frame, res: dict | None) -> dict | None:
    """A question naming a year that a report, not an edition, covers ("what did the 2024 white paper
    say about photonic chips"): the best entry of that report for what it asks beside the report's
    own name, when the ``concept`` result is from another report."""
    files = {d["source_file"] for d in (years.documents_of(frame.year) if years.uncovered(frame) else [])}
    for report in sorted(files):
        asked = concept_index.without_title(frame.question, report)
        found = [e for _, e in concept_index.ranked(asked, None, asked) if e.get("report") == report]
        st = concept_index.strength(found[0], asked, asked) if found else {}
        if found and (st["named"] or st["shared"] >= WITHIN_SHARED and st["share"] >= concept_index.STATES_SHARE):
            return {"concept": found[0], "strength": {**st, "named": True}, "also": []}
        # nothing named but an entity: the report's entry about it that says most of the question
        about = [e for e in concept_index.entries() if e.get("report") == report and frame.entities and
                 all(concept_index.mentions(e, n) for n in frame.entities)]
        if about:
            best = max(about, key=lambda e: (any(n in " ".join(concept_index.names(e)) for n in frame.entities),
                                             concept_index.content(e, asked)))
            return {"concept": best, "strength": {"named": True, "shared": 0.0, "share": 0.0}, "also": []}
    return res


SCOPING = ("explicit", "inherited")  # edition sources that bound a search of the text (a follow-up keeps the last turn's)


def _scope(frame: Frame) -> str | None:
    """The edition whose report a search of the text stays in: one the question names, or the one
    a follow-up inherits ("what does the report say about it?" after a 2020 question)."""
    return frame.editions[0] if frame.editions and frame.edition_source in SCOPING else None


def _no_report(frame: Frame, said: str) -> list:
    """A year the question names that no report and no edition has, and the answer's text does not
    mention either ("the 2023 white paper"): said first, so the nearest text is not taken for it."""
    if years.uncovered(frame) and not years.documents_of(frame.year) and str(frame.year) not in said:
        return [Line(P("years.no_report", year=str(frame.year)))]
    return []
