"""Slots other than entities and editions: aspect, N / offset / direction, polarity,
tier, filters, what-if weights, composite, period, reason, topic.

Each function returns what *this* turn names (``None`` = not named), so a follow-up
can tell what to override and what to inherit. Vocabularies are in ``lexicon.yaml``.
"""
from __future__ import annotations

import functools
import re

from .catalogue import Catalogue
from .features import asks_unknown_measure, unknown_measure_words
from .lexicon import Words, earliest_category, first_category, lexicon, patterns, to_number, words
from .lexicon import polarity as polarity_of
from .mention import Mention

LIST_OPERATIONS = {"rank", "count", "coverage"}  # coverage: "which countries are in the TOP15" keeps its N for what follows
DIRECTED_OPERATIONS = {"rank", "leader"}
FILTERED_OPERATIONS = {"count", "rank", "leader", "coverage", "tier"}
# operations a statistic of the ranking ("the average of the top 5", "the median") turns into a rank
STATISTIC_OPERATIONS = {"rank", "leader", "coverage", "lookup", "gap", "count", "compare", "definition", "breakdown"}
# operations a score threshold turns into a count of who passes it
THRESHOLD_OPERATIONS = {"count", "rank", "leader", "coverage", "tier", "lookup"}
# operations that read an indicator's values from the facts tables
INDICATOR_OPERATIONS = {"lookup", "compare", "gap", "rank", "leader", "count", "why", "change"}


def _without(text: str, matcher: Words) -> str:
    for a, b in reversed(matcher.spans(text)):
        text = text[:a] + " " + text[b:]
    return text


# operations a named dimension's share of the composite ("how much does output count for") turns into a method question
WEIGHT_SHARE_OPERATIONS = {"rank", "leader", "lookup", "coverage", "narrative", "definition", "concept", "breakdown"}


def weight_share(operation: str, text: str, mentions: list[Mention], n_entities: int, after_method: bool = False) -> str:
    """``method`` when the question asks how much a named dimension counts in the composite (its
    weight) or what it is made of (its indicators), or which dimension weighs most (after the
    dimensions were listed, "which has the highest weight?" too), with no entity named; else ``operation``."""
    low = text.lower()
    if operation not in WEIGHT_SHARE_OPERATIONS or n_entities:
        return operation
    if any(m.kind == "dimension" and m.resolved for m in mentions) \
            and (words("weight_share_words")(low) or words("dimension_parts_words")(low)
                 and number(low) is None and not words("place_words")(low)):  # "which cities make up the top 5"
        return "method"
    if words("weight_nouns")(low) and (words("dimension_selected")(low) or after_method):
        return "method"
    return operation


def place_filtered(operation: str, text: str) -> str:
    """``count`` for a question about which of an edition's members are in a country or region
    ("and which are the Chinese ones?" after its coverage): those members, counted; else ``operation``."""
    if operation == "coverage" and any(f in ("country", "region") for f, _ in filters(operation, text, None)):
        return "count"
    # "东中西部各占多少": zones and how many, read as something else for want of a subject
    if operation in ("out_of_scope", "gap", "unanswerable") and words("cues", "count")(text.lower()) and \
            any(f == "region" for f, _ in filters("count", text, None)):
        return "count"
    return operation


def aspect(operation: str, text: str, mentions: list[Mention], n_entities: int) -> str | None:
    if operation == "method" and words("weight_share_words")(text.lower()):
        return "weights"
    if operation == "method" and words("dimension_parts_words")(text.lower()):
        return "indicators"
    if operation == "lookup" and any(m.kind == "indicator" and m.resolved for m in mentions):
        return "indicator"
    if operation == "leader" and not n_entities and words("every_dimension")(text.lower()) and \
            not any(m.kind == "dimension" and m.resolved for m in mentions):  # "各维度第一名分别是谁"
        return "every_dimension_ends" if words("both_ends")(text.lower()) else "every_dimension"
    if operation == "gap" and n_entities >= 2:
        return "ends" if n_entities > 2 and words("gap_ends")(text.lower()) else "entity"
    if operation == "lookup":
        text = _without(text, words("period"))
    if operation == "gap":  # "the last city of the second tier vs the leader": that tier names a subject, not a goal
        for rx in patterns("tier_end_patterns", "last") + patterns("tier_end_patterns", "first"):
            text = rx.sub(" ", text)
    return first_category(text.lower(), "aspects", operation)


STATISTICS = ("average", "median", "spread")  # the statistics of a ranking the rank answer gives


def statistic(text: str) -> str | None:
    """The statistic of a ranking a question asks for (spread | average | median), or ``None``."""
    return first_category(text.lower(), "aspects", "rank")


_SCRIPT_EDGE = re.compile(r"(?<=[A-Za-z0-9])(?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff])(?=[A-Za-z0-9])")


def number(text: str, key: str = "n_patterns", group_name: str = "n") -> int | None:
    # "生物技术TOP10里": a Latin word or numeral against Chinese has no word boundary to stop at
    text = _SCRIPT_EDGE.sub(" ", text)
    for rx in patterns("tier_list_patterns") if key == "n_patterns" else ():
        text = rx.sub(" ", text)  # "the first four tiers", "前三个梯队": tiers, not a top N
    for rx in patterns(key):
        m = rx.search(text)
        if m:
            value = to_number(m.group(group_name) or "")
            if value and value > 0:
                return value
    return None


def direction(operation: str, text: str, n_entities: int) -> str | None:
    if operation == "compare":  # "拉萨和呼和浩特谁低": the lower one is the answer
        return "bottom" if words("lower_asked")(text.lower()) else None
    if operation not in DIRECTED_OPERATIONS and not (operation == "change" and n_entities == 0):
        return None
    # "再往后五个": the next rows of the same ranking, not its bottom
    return first_category(_without(_without(text, words("period")), words("cues", "next")).lower(), "direction")


def polarity(text: str) -> str | None:
    """``weak`` or ``strong``; what holds it back (``limiting``) asks for the weak side."""
    found = polarity_of(text.lower())
    return "weak" if found == "limiting" else found


def tier_line(operation: str, prev, text: str) -> bool:
    """A gap to a tier's line ("离第三梯队的30分线还差多少") after a turn that found one entity (the leader,
    the first of a tier): it needs a subject, the one just found."""
    return operation == "gap" and prev.operation in ("leader", "tier") and \
        first_category(text.lower(), "aspects", "gap") in ("next_tier", "threshold")


def tier_line_asked(prev, operation: str, text: str) -> int | None:
    """The tier a turn asks the line of by pointing back ("what is its threshold?", "门槛是多少" after the third tier
    or its members counted), when it names no tier of its own; else ``None``. A turn read as a tier question keeps
    the tier the follow-up rules give it ("再往下一个梯队…分数区间" is the next one down)."""
    if prev is None or tier(text) is not None or operation not in ("narrative", "concept", "definition", "method", "count", "coverage") or \
            not words("aspects", "method", "thresholds")(text.lower()):
        return None
    return prev.tier if prev.tier is not None else next((int(f.value) for f in prev.filters or () if f.field == "tier"), None)


def of_measure(operation: str, text: str) -> bool:
    """"Who topped it?", "谁是那个领域的第一": a leader asked of what "it" points to, the field or the ranking
    talked about; not a choice among the entities just named ("which of them leads?" is)."""
    return operation == "leader" and bool(re.search(lexicon()["leader_of_it"], text) or words("same_measure")(text)) and \
        not words("cues", "plural")(text)


def limiting(text: str) -> bool:
    """Does the turn ask what holds something back ("哪几项指标拖了它的后腿")? The reasons, not how
    its score is made up."""
    return earliest_category(text.lower(), "polarity") == "limiting"


def place_range(text: str) -> tuple[int, int] | None:
    """Rows ``(n, offset)`` of a run of places the question names ("places 6 to 10": 5 rows after
    the first 5), or ``None``."""
    for rx in patterns("place_range_patterns"):
        m = rx.search(text)
        if m and (a := to_number(m.group("a"))) and (b := to_number(m.group("b"))) and 0 < a < b:
            return b - a + 1, a - 1
    return None


def is_next(text: str) -> bool:
    return words("cues", "next")(text)


def tier(text: str, last: int | None = None) -> int | None:
    """The tier or class named by its number ("第三梯队", "tier 2"), or, when the edition's lowest is
    ``last``, by being the last ("最后一类", "the bottom tier"); ``None`` if none is named."""
    for rx in patterns("tier_patterns"):
        m = rx.search(text)
        if m and (value := to_number(m.group("t"))) and value > 0:
            return value
    return last if last and words("last_tier")(text.lower()) else None


ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "two": 2, "three": 3, "four": 4, "five": 5}


def tiers_listed(low: str) -> list[int]:
    """Every tier of a range or list of them ("tier 1 and 2" -> [1, 2], "一到三梯队" -> [1, 2, 3], "the first
    four tiers" -> [1, 2, 3, 4]), or []."""
    for rx in patterns("tier_list_patterns"):
        m = rx.search(low)
        if m:
            first = m.groupdict().get("a")  # none: the first N
            a, b = (ORDINAL_WORDS.get(x) or to_number(x.rstrip("stndrh")) for x in (first or "1", m.group("b")))
            if a and b and 0 < a < b <= 9:
                spans = first is None or any(w in m.group(0) for w in ("到", "至", "to", "-"))
                return list(range(a, b + 1)) if spans else [a, b]
    return []


def counted_range(operation: str, text: str) -> bool:
    """Does the question count (or list) who passes a score threshold ("how many cities score above
    50", "哪些区县得分低于50分") or falls in one of several tiers ("第三和第四梯队一共几个城市")?
    A run of places ("ranked between 10 and 15") is no score range."""
    low = text.lower()
    return (operation in THRESHOLD_OPERATIONS or operation == "method" and words("cues", "count")(text)) and \
        bool(score_range(low)) and place_range(low) is None or \
        operation == "tier" and len(tiers_listed(low)) > 1 and words("cues", "count")(text)


def filters(operation: str, text: str, tier_number: int | None) -> tuple[tuple[str, str], ...]:
    if operation not in FILTERED_OPERATIONS:
        return ()
    out: list[tuple[str, str]] = []
    low = text.lower()
    own = _without(low, words("foreign"))  # "non-chinese", "中国以外": not the country they contain
    for region in lexicon().get("regions") or ():  # "eastern China" is a zone of China, not China
        own = _without(own, Words.of(region))
    for country in lexicon()["countries"]:
        if Words.of(country)(own) and ("country", country["code"]) not in out:
            out.append(("country", country["code"]))
    for group in lexicon().get("region_groups") or ():  # "东中西部各占多少": every zone of the group
        if Words.of({lang: group.get(lang) for lang in ("zh", "en")})(low):
            out += [("region", r) for r in group["regions"] if ("region", r) not in out]
    for region in lexicon().get("regions") or ():  # a province: the registry's region of its cities
        if Words.of(region)(low) and ("region", region["region"]) not in out:
            out.append(("region", region["region"]))
    if not out and words("foreign")(low):
        home = lexicon()["countries"][0]["code"]
        out.append(("country", f"!{home}"))  # not the home country
    listed = tiers_listed(low)  # "tier 1 and 2": every tier named (listed in turn, or counted together)
    if operation == "count" and tier_number and not listed:
        out.append(("class" if Words.of(lexicon()["class_words"])(low) else "tier", str(tier_number)))
    if operation in ("tier", "count") or operation == "rank" and len(listed) > 1:  # "前四个梯队的平均分": over their members
        out += [("tier", str(n)) for n in listed]
    return tuple(out) + score_range(low)


def score_range(text: str) -> tuple[tuple[str, str], ...]:
    """Score thresholds the question sets ("above 50" -> ``("score_min", "50")``, "50分以下" ->
    ``("score_max", "50")``), from the lexicon's ``score_threshold_patterns``."""
    for rx in patterns("score_between_patterns"):
        m = rx.search(text)
        if m and float(m.group("v")) < float(m.group("w")):
            return ("score_min", m.group("v")), ("score_max", m.group("w"))
    out: list[tuple[str, str]] = []
    for bound in ("min", "max"):
        for rx in patterns("score_threshold_patterns", bound):
            m = rx.search(text)
            if m:
                out.append((f"score_{bound}", m.group("v")))
                break
    return tuple(out)


def composite(text: str) -> str | None:
    return first_category(text.lower(), "composite")


def period(text: str) -> str | None:
    return first_category(text.lower(), "period")


def reason(operation: str, text: str) -> str | None:
    if operation == "out_of_scope":
        return first_category(text.lower(), "out_of_scope_reasons") or "off_topic"
    if operation == "unanswerable" and asks_unknown_measure(text):
        return "unknown_measure"
    return None


def topic(operation: str, text: str, language: str, mentions: list[Mention], cat: Catalogue) -> str | None:
    """Concept / definition: the linked concept's name (else the term asked about);
    narrative: the question's content words, entities by their canonical names."""
    concepts = [t.target for m in mentions if m.kind == "concept" for t in m.targets]
    if operation in ("concept", "definition"):
        if concepts:
            c = cat.concepts[concepts[0]]
            return (c.names_zh or c.names_en)[0]
        terms = _content_words(text, language, mentions, translate=True)
        # a year no edition has names which report of that name ("2024白皮书在哪里发布的")
        year = next((str(m.value) for m in mentions if m.kind == "year" and not m.resolved), None)
        return (f"{year}{terms[0]}" if year and year not in terms[0] else terms[0]) if terms else None
    if operation == "narrative":
        return " ".join(_content_words(text, language, mentions, translate=False)) or None
    if operation == "unanswerable" and asks_unknown_measure(text):
        found = unknown_measure_words().search(text)
        return found.group(0) if found else None  # "GDP", "房价": the measure as asked
    return None


@functools.lru_cache(maxsize=2)
def _topic_stop(keep: str | None = None) -> frozenset[str]:
    """Question words and cue words (except the ``keep`` category's: "spending", "investment"
    are what a narrative question is about): never part of a topic."""
    lex = lexicon()
    cues = {str(f).lower() for name, forms in lex["cues"].items() if name != keep for lang in forms.values() for f in lang}
    return frozenset(cues | {str(w).lower() for lang in lex["topic_stopwords"].values() for w in lang})


@functools.lru_cache(maxsize=1)
def _cue_words() -> Words:
    return Words(f for _, forms in lexicon()["cues"].items() for lang in forms.values() for f in lang)


def _content_words(text: str, language: str, mentions: list[Mention], translate: bool) -> list[str]:
    from ... import retrieval  # the shared tokenizer and glossary; loaded only for text questions

    stop = _topic_stop(None if translate else "narrative")
    out: list[str] = []
    pieces: list[str] = []
    last = 0
    for m in sorted(mentions, key=lambda m: m.start):
        if m.kind == "entity" and m.resolved:
            pieces.append(text[last:m.start])
            pieces.append(f" {m.targets[0].target} ")
            last = m.end
    pieces.append(text[last:])
    body = "".join(pieces)
    if translate:
        cue = _cue_words()
        terms = [w for w in retrieval.glossary_terms(body) if w.lower() not in stop and not cue(w)]
        if language == "en":
            return terms  # an English term is known by its Chinese name, or not at all
        if translate and terms:
            out.extend(terms)
    tokens = [w for w in retrieval.words(body) if w.strip() and not (translate and w.isascii())]
    for tok in tokens:
        if tok.lower() in stop or not re.search(r"\w", tok):
            continue
        if any(tok != other and tok in other for other in tokens):
            continue  # a search-mode sub-token of a longer word (研发 inside 研发经费)
        if tok not in out:
            out.append(tok)
    return out


def each_of_several(text: str) -> bool:
    """Does "分别/respectively" ask about each of several places left unnamed ("分别多少分" after a
    tier's members), not about two things the turn pairs itself ("强项和短板分别是什么")?"""
    return words("each_asked")(text) and not any(rx.search(text) for rx in patterns("each_of_pair"))
