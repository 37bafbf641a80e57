"""The reviewed concept entries (``assistant/offline/concepts/*.yaml``, one file per report) and
how a question finds the one that answers it: by name, by the aspect asked (a definition, an
origin, parts...), and by how much of an entry's names the question says.

A sibling of the tools and of the offline answerer (both use it), so neither imports the
other; its vocabulary is data in ``concept_index.yaml`` beside it, and how entries are keyed
(words, character pairs, their weights) is :mod:`assistant.concept_keys`.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

from index_core.io import load_yaml

from .concept_keys import candidates, entry_text, fold, keys, likeness, name_keys, names, stem, table, vocabulary

CONCEPTS_DIR = Path(__file__).resolve().parent / "offline" / "concepts"


def entries() -> tuple[dict, ...]:
    """Every entry in ``CONCEPTS_DIR`` as plain data, with its file's ``report`` and ``title``
    added (the models in :mod:`assistant.offline.concepts` validate the files in the tests)."""
    return _entries(CONCEPTS_DIR)


@functools.lru_cache(maxsize=2)
def _entries(directory: Path) -> tuple[dict, ...]:
    out: list[dict] = []
    for path in sorted(directory.glob("*.yaml")):
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
        out += [{**c, "report": data.get("report"), "title": data.get("title")} for c in data.get("concepts") or []]
    return tuple(out)


def load() -> tuple[dict, ...]:
    return entries()


def names_said(entry: dict, text: str, without: str = "") -> float:
    """Weight of the words or character pairs of ``entry``'s names that ``text`` says (its names
    taken together, question words left out; see :func:`_weights`), not counting those ``without``
    says (an index's own title, which names it rather than asks about it)."""
    tab = table(load())
    said = (tab.named.get(id(entry)) or name_keys(entry, tab.weight))[0] & keys(text) - keys(without)
    return round(sum(tab.weight.get(k, 1.0) for k in said), 2)


def _weights(entries: tuple[dict, ...]) -> dict[str, float]:
    return table(entries).weight


def _likeness(entry: dict, question: str) -> tuple[float, float]:
    return likeness(entry, question, table(load()))


def ranked(topic: str | None, aspect: str | None = None, question: str = "",
           edition: str | None = None) -> list[tuple[tuple, dict]]:
    """The entries that could answer ``topic`` (a concept id or name) for ``aspect``, best first,
    each with its sort key.

    Match: the id (3), a name equal to the topic (2), a name containing the topic (1.5: 硬科技
    in 硬科技的由来), a name contained in the topic or the question (1); likeness: how many words
    or character pairs of a name the question shares (:func:`_likeness`: "Did Xi'an host a hard
    tech conference?" is about the Xi'an hard tech conference, not about hard tech). When an
    aspect is asked, the kinds it prefers (``rules.yaml``) come first; then likeness, the match,
    and the report order of ``concept_reports``. With an ``edition``, only entries about it (or
    about no edition) count, and its own come first."""
    entries = load()
    if not entries or not (topic or question):
        return []
    t, q = fold(topic or ""), fold(question)
    kinds = vocabulary()["aspects"].get(aspect) or vocabulary()["aspects"][None]
    reports = vocabulary()["reports"]
    out = []
    within = _within_named_reports(f"{question} {topic or ''}")
    tab = table(entries)
    near = candidates(tab, t, q, keys(f"{question} {topic or ''}"))
    for e in entries:
        if id(e) not in near or edition and e.get("edition") not in (edition, None):
            continue
        forms = tab.forms[id(e)]
        if t and t == fold(e["id"]):
            match = 3.0
        elif t and t in forms:
            match = 2.0
        elif len(t) >= 2 and any(t in f for f in forms):
            match = 1.5
        elif any(f and len(f) >= 2 and (f in t or f in q) for f in forms):
            match = 1.0
        else:
            match = 0.0
        shared, share = _likeness(e, f"{question} {topic or ''}")
        if shared and e.get("report") in within:  # matched only by its report's name: none; else that name counts
            shared, share = (shared + NAMED_REPORT, share) if _likeness(e, within[e["report"]])[0] else (0.0, 0.0)
        if not match and not shared:
            continue
        # an article's byline says who wrote it, whatever its kind ("who wrote the R&D article?")
        kind_rank = 0 if aspect == "publisher" and e.get("byline") else kinds.index(e["kind"]) if e.get("kind") in kinds else len(kinds)
        order = reports.index(e["report"]) if e.get("report") in reports else len(reports)
        own = edition is not None and e.get("edition") != edition
        out.append(((kind_rank >= len(kinds), own, kind_rank if aspect else 0, -shared, -match, -share, kind_rank, order), e))
    if aspect and out:
        # the facet's kinds yield to a name the question says far more of: "智能硬件五大产品是什么" is
        # the five products' entry, not the definition of smart hardware its "是什么" prefers
        preferred = max((-key[3] for key, _ in out if not key[0] and key[2] == 0), default=0.0)
        out = [((False, key[1], 0, *key[3:]), e) if (key[0] or key[2]) and -key[3] >= STATES_SHARED and
               -key[3] >= OUTNAMED * preferred else (key, e) for key, e in out]
    if not aspect and out:
        # with no facet asked, what an entry states counts beside what it is called, among entries
        # named about as well: "how big is the optical chip market in the 2024 white paper" is the
        # market figure's entry, not the white paper's release
        best = max(-key[3] for key, _ in out)
        out = [((*key[:3], -round(key[3] * key[5] + CONTENT * content(e, f"{question} {topic or ''}"), 2), *key[4:])
                if -key[3] >= NEAR * best else key, e) for key, e in out]
    out.sort(key=lambda x: x[0])
    return out


NAMED_REPORT = 3.0  # weight of a report's name said beside what an entry of it is named by (a telling word's)
OUTNAMED = 1.5  # how many times more of its name than the facet's best kind says, for an entry of another kind to come first
CONTENT = 0.25  # weight of the words an entry's answer and quote share with the question, beside its names (x share)
NEAR = 0.8  # ...for entries sharing at least this part of what the best-named entry shares with the question


def content(entry: dict, question: str) -> float:
    """Weight of the question's words (and, for English, their glossary Chinese terms) that the
    entry's answer sentences and quote contain: what it states, not what it is called."""
    from . import retrieval  # the bilingual glossary (imported late: retrieval loads the corpus)

    q = keys(question)
    if re.search(r"[A-Za-z]", question):
        q = q | keys(" ".join(retrieval.glossary_terms(question)))
    tab = table(load())
    stated = tab.stated.get(id(entry))
    return sum(tab.content_weight.get(k, 0.0) for k in q & (keys(entry_text(entry)) if stated is None else stated))


TITLE_SAID = 3  # words or character pairs of a report's title a question must say to name the report (硬科技 alone names none)


@functools.lru_cache(maxsize=256)
def _within_named_reports(question: str) -> dict[str, str]:
    """For the report whose title the question names (most of its words said, its year if the
    question says one) and whose entries the rest of it still finds, the question without the
    title: the title says which report, not what is asked in it ("2020年那本白皮书讲硬科技有啥特有
    属性" asks for the 2020 white paper's attributes, not the white paper). :func:`ranked` drops
    that report's entries that only its title's words match."""
    asked = keys(question)
    said: dict[str, set] = {}
    for report in dict.fromkeys(e.get("report") for e in load() if e.get("report")):
        title = next((e.get("title") for e in load() if e.get("report") == report), None) or {}
        said[report] = asked & keys(" ".join(str(v) for v in title.values()))
    said = {r: k for r, k in said.items() if len(k) >= TITLE_SAID}
    years = {k for k in asked if re.fullmatch(r"(?:19|20)\d\d", k)}
    if years and any(k & years for k in said.values()):
        said = {r: k for r, k in said.items() if k & years}  # "the 2020 white paper": that year's report
    most = max((len(k) for k in said.values()), default=0)
    out = {}
    for report in (r for r, k in said.items() if len(k) == most):
        rest = without_title(question, report)
        if any(_likeness(e, rest)[0] for e in load() if e.get("report") == report):
            out[report] = rest
    return out


def without_title(question: str, report: str) -> str:
    """``question`` without the words that name ``report`` (its title's English words and Chinese
    character pairs): "what did the 2024 white paper say about photonic chips" asks, within the
    2024 white paper, about photonic chips."""
    title = next((e.get("title") for e in load() if e.get("report") == report), None) or {}
    said = keys(" ".join(str(v) for v in title.values()))
    text = re.sub(r"[A-Za-z0-9&]+", lambda m: " " if stem(m.group(0).lower()) in said else m.group(0), question)
    drop = {i for i in range(len(text) - 1) if text[i:i + 2] in said for i in (i, i + 1)}
    return "".join(" " if i in drop else ch for i, ch in enumerate(text)).strip()


def text_of(entry: dict) -> str:
    """An entry's names, answer sentences and quote, as one text."""
    return " ".join(names(entry)) + " " + entry_text(entry)


def mentions(entry: dict, name: str) -> bool:
    """Does the entry's names, answer or quote say ``name`` (an entity's Chinese name, with or
    without its 市/区/县 suffix)?"""
    text = text_of(entry)
    return name in text or (len(name) > 2 and name[-1] in "市区县" and name[:-1] in text)


STATEMENTS = ("figure", "claim", "framework")  # entry kinds that state something (not a report, article or index)
LONG_NAME = 6  # Chinese characters (or English words / 2) of a name specific enough to speak for the whole question


def long_name(name: str) -> bool:
    """A name specific enough to speak for a whole question (``LONG_NAME``)."""
    name = str(name)
    return len(re.findall(r"[\u3400-\u9fff]", name)) >= LONG_NAME or len(re.findall(r"[A-Za-z]+", name)) * 2 >= LONG_NAME


def says_index_word(question: str, entry: dict | None = None) -> bool:
    """Does the question ask for an index's own figures (``index_words``: score, rank, tier…)? A word
    that ``entry``'s own names also use is the entry's (西安 in the Global Innovation Index 排名)."""
    q = question.casefold()
    title = fold(" ".join(str(v) for v in (entry or {}).get("title", {}).values()))
    if entry and entry.get("kind") in STATEMENTS and any(long_name(n) and fold(n) in fold(question) and fold(n) not in title
                                                         for n in names(entry)[1:]):
        return False  # the question says a statement's long name: its 排第几 is that ranking's, not an index's
    own = fold(" ".join(names(entry))) if entry else ""
    for w in vocabulary().get("index_words") or ():
        w = str(w).casefold()
        if (re.search(rf"\b{re.escape(w)}\b", q) if w.isascii() else w in q) and fold(w) not in own:
            return True
    return False


def find(topic: str | None, aspect: str | None = None, question: str = "", edition: str | None = None) -> dict | None:
    """The entry that answers ``topic`` for ``aspect`` best (:func:`ranked`); ``None`` if none does."""
    found = ranked(topic, aspect, question, edition)
    return found[0][1] if found else None


def strength(entry: dict, topic: str | None, question: str) -> dict:
    """How surely ``entry`` is what the question asks about: the name match and the likeness."""
    shared, share = _likeness(entry, f"{question} {topic or ''}")
    forms = [fold(x) for x in names(entry) if x and len(fold(x)) >= 3]
    return {"named": any(f in fold(question) for f in forms) or fold(topic or "") in forms,
            "shared": shared, "share": share}


def states(res: dict | None) -> bool:
    """Does a ``concept`` tool result surely answer the question (a narrative question asks what a
    reviewed entry states)? Its name is in the question, or most of a long name is."""
    st = (res or {}).get("strength") or {}
    return bool((res or {}).get("concept")) and (st.get("named") or st.get("shared", 0) >= STATES_SHARED
                                                  and st.get("share", 0) >= STATES_SHARE)


STATES_SHARED, STATES_SHARE = 6.0, 0.75  # weight of shared words (see _weights), share of the name


def alike(topic: str | None, aspect: str | None = None, question: str = "") -> list[dict]:
    """The best entry's equals from other reports (the same kind, as good a match): another
    report's definition of the same term."""
    found = ranked(topic, aspect, question)
    if not found:
        return []
    key, best = found[0]
    out, reports = [], {best.get("report")}
    for k, e in found[1:]:
        # the same kind, matched as well by name, and at least half as much of the question
        if e.get("kind") == best.get("kind") and e.get("report") not in reports and k[4] <= key[4] and \
                -k[3] >= ALIKE_SHARE * -key[3]:
            out.append(e)
            reports.add(e.get("report"))
    return out + stated_alike(best, f"{question} {topic or ''}", reports)


ALIKE_SHARE = 0.4  # an equal from another report shares at least this part of what the best one shares
ALIKE_CONTENT = 0.6  # ...or states at least this part of what the best one states of the question (content)
CONTENT_MIN = 15.0  # ...and at least this much (a story told in two reports, named differently)


def stated_alike(best: dict, question: str, taken: set[str]) -> list[dict]:
    """Entries of ``best``'s kind in other reports that state about as much of the question as it does
    (米磊's "7000万科研人员" in one report, "9000万科技人力资源" in another), whatever they are called."""
    floor = max(CONTENT_MIN, ALIKE_CONTENT * content(best, question))
    out = []
    for e in load():
        if e.get("kind") == best.get("kind") and e.get("report") not in taken and content(e, question) >= floor:
            out.append(e)
            taken.add(e.get("report"))
    return out


def published(edition: str, report: str | None) -> dict | None:
    """The entry that says who publishes or compiles ``edition`` (or, for none, its ``report``): of the
    kinds the "publisher" aspect takes, about the edition first, then about the report as a whole; the
    one whose answer says most of ``publisher_words``."""
    kinds = vocabulary()["aspects"].get("publisher") or []
    best, key = None, (0, 0, 0)
    for e in load():
        own = e.get("edition") == edition
        if e.get("kind") not in kinds or not (own or e.get("edition") is None and e.get("report") == report):
            continue
        k = (publisher_said(e), own, -kinds.index(e["kind"]))
        if k[0] and k > key:
            best, key = e, k
    return best


def publisher_said(entry: dict | None) -> int:
    """How many of ``publisher_words`` the entry's answer says (0: it does not say who made anything)."""
    text = " ".join(str(v) for v in ((entry or {}).get("answer") or {}).values()).casefold()
    return sum(str(w).casefold() in text for w in vocabulary().get("publisher_words") or [])


def authored(entry: dict | None) -> dict | None:
    """The byline of the article or chapter ``entry`` is from: the entry marked ``byline`` (its
    ``people`` wrote the text) whose cited lines hold ``entry``'s, the narrowest such, so "who wrote
    it?" after a passage of an article is answered with that article's authors. ``None`` if none."""
    if not entry or not entry.get("source"):
        return None
    a, b = entry["source"]["lines"]
    best = None
    for e in load():
        src = e.get("source") or {}
        if e.get("byline") and src.get("file") == entry["source"]["file"] and src["lines"][0] <= a and b <= src["lines"][1]:
            if best is None or src["lines"][1] - src["lines"][0] < best["source"]["lines"][1] - best["source"]["lines"][0]:
                best = e
    return best
