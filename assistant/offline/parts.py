"""Questions in several parts: "Which city came 3rd in 2020, and by how much did it trail the 2nd?"

The question is cut (:mod:`.cuts`) where a clause starts a new question (``part_patterns`` in the lexicon:
a question mark with more after it, "and which/how/…", "，另外…"). Each part is understood with
the parts before it (and their answers) as history, so "it" in the second part is the city the
first part found. :func:`assistant.offline.answer_frames` then answers all parts with one tool
runner and one writer: one list of citations, one answer in the order asked.

A cut is kept only when every part is a question of its own about the indices (none out of scope
or unanswerable, none only a name as in "北京；上海；深圳"); else the question is one. What one
answer covers is answered once: the score, rank and tier of one entity are one profile; "who is
higher" and "by how much" of the same two are one comparison (it states the gap). A part that
names no dimension asks about the one an earlier part named ("output: who leads, by how much?").
"""
from __future__ import annotations

import re
from typing import Callable

from . import folded as folding
from .cuts import split, width as _width  # noqa: F401 (split: the parts' public entry)
from .frame import Filter, Frame
from .understand import positions, slots
from .understand.catalogue import catalogue
from .understand.followup import fits, pronoun
from .understand.lexicon import lexicon, words

NOT_ON_THEIR_OWN = {"out_of_scope", "unanswerable"}
LISTED = {"count", "tier", "rank", "leader"}  # answers that name their entities: "which ones?" is answered
FIGURED = LISTED | {"lookup", "change", "gap"}  # answers that state the figure they are about
SHORT_ASK = 16         # width of a part that only asks for them ("which ones?", "分别是哪些")


# operations one answer covers together: the profile (score, rank, tier) of one entity; the
# comparison of two, which states who is ahead and by how much
COVERED_TOGETHER = {"lookup": "profile", "tier": "profile", "compare": "pair", "gap": "pair"}
HYPOTHETICAL = {"whatif", "sensitivity"}
UNDER_HYPOTHESIS = {"lookup", "rank", "leader", "tier", "compare", "gap"}
# operations a part asks about each of the earlier part's entities ("各自第几梯队")
EACH = {"tier", "lookup", "why"}
# operations that set one entity against another ("和无锡差多少")
PAIRED = {"gap", "compare"}
# operations about one entity: a part that names nobody asks them of the earlier part's subject
ABOUT_AN_ENTITY = {"tier", "why", "lookup"}
# operations whose answer is about a measure, so a part without one keeps the earlier part's
MEASURED = {"lookup", "compare", "gap", "leader", "rank", "why", "count"}


def _asked(f: Frame) -> tuple:
    group = COVERED_TOGETHER.get(f.operation, f.operation)
    if group == "pair" and (len(f.entities) != 2 or f.operation == "gap" and f.aspect not in (None, "entity")):
        group = f.operation
    # the top and the bottom of one ranking are two questions ("who is first, and who is last?")
    # a method's facets are questions of their own ("how many indicators…, and how were the cities picked?")
    return group, tuple(sorted(f.entities)) if group == "pair" else tuple(f.entities), tuple(f.editions), \
        f.dimension, f.indicator, repr(f.filters), f.direction if f.operation in ("leader", "rank") else None, \
        f.aspect if f.operation == "method" else None


def _distinct(frames: list[Frame]) -> list[Frame]:
    """The frames that ask something no earlier one asks ("Nanjing's score and rank, and which
    tier is it in?": one profile answers all three)."""
    seen, out = set(), []
    for f in frames:
        key = _asked(f)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _only_names(frame: Frame) -> bool:
    """Is the part nothing but names ("Beijing" in "Beijing; Shanghai; Shenzhen")?"""
    rest = frame.question
    for link in sorted(frame.links, key=lambda x: -len(x.surface)):
        rest = rest.replace(link.surface, " ")
    return not any(c.isalnum() for c in rest)


def _heading(frame: Frame) -> bool:
    """Is the part only the names the next parts ask about, joined ("hefei vs wuhan 2020", "北京和上海，…")?"""
    rest = frame.question.lower()
    for link in sorted(frame.links, key=lambda x: -len(x.surface)):
        rest = rest.replace(link.surface.lower(), " ")
    for w in sorted(words("heading_joins").forms, key=len, reverse=True):
        rest = re.sub(rf"(?<![a-z]){re.escape(w)}(?![a-z])", " ", rest)
    return bool(frame.entities) and not any(c.isalnum() for c in rest)


def _position(frame: Frame):
    """The link of an entity the part named by its place ("第一名", "the runner-up"), if any."""
    return next((link for link in frame.links if link.kind == "entity" and link.method == "history" and
                 link.surface.lstrip("-").isdigit()), None)


def _set_against(frame: Frame) -> bool:
    """Does the part name its one entity as the other side of a comparison ("和无锡差多少",
    "how far behind Wuhan")? Then the subject is the earlier part's."""
    low = frame.question.lower()
    before = [low[:low.find(link.surface.lower())].rstrip() for link in frame.links
              if link.kind == "entity" and link.target in frame.entities and link.surface.lower() in low]
    # "和第二梯队的深圳差几分": a qualifier ending in 的 may stand between the word and the name
    return any(re.sub(r"[^，,。？?和跟与比]{1,8}的$", "", b).endswith(tuple(words_of("compared_with"))) for b in before)


def words_of(key: str) -> list[str]:
    forms = lexicon().get(key) or {}
    return [str(w).lower() for lang in ("zh", "en") for w in forms.get(lang, ())]


def _shared(frame: Frame, before: Frame) -> Frame:
    """``frame`` read with the part before it: its subject, its entities, its dimension."""
    for step in (_same_edition, _of_those, _tier_statistic, _measured_against, _each, _among, _same_subject,
                 _next_above, _same_dimension, _other_dimension, _counted_within):
        frame = step(frame, before)
    return frame


def _other_dimension(frame: Frame, before: Frame) -> Frame:
    """"渝北区双创环境多少？跟它的双创成效比差多少？": a gap of the same one entity on another dimension is
    between its two dimensions; the earlier part's dimension is named in this one too."""
    if frame.operation != "gap" or len(frame.entities) != 1 or tuple(frame.entities) != tuple(before.entities) or \
            not frame.dimension or not before.dimension or frame.dimension == before.dimension:
        return frame
    return frame.model_copy(update={"links": tuple(frame.links) + tuple(x for x in before.links if x.kind == "dimension")})


def _of_those(frame: Frame, before: Frame) -> Frame:
    """"count the Chinese ones in the top 15, plus which of those is highest": a part that names
    nobody and points back at the set an earlier count or list kept asks who leads that set
    ("第四梯队有哪些城市，其中最高的是谁": the tier's members)."""
    kept = before.filters + ((Filter(field="tier", value=str(before.tier)),)
                             if before.operation == "tier" and before.tier is not None else ())
    named = frame.entities and "entities" not in frame.inherited  # "them" read as the earlier answer's names is not naming
    if named or before.operation not in ("count", "rank", "tier") or not (kept or before.n) or \
            frame.operation not in ("leader", "compare", "rank") or \
            not any(w in frame.question.lower() for w in words_of("of_those")):
        return frame
    return frame.model_copy(update={"operation": "leader", "filters": kept, "n": before.n, "entities": (),
                                    "direction": frame.direction or slots.direction("leader", frame.question, 0) or "top",
                                    "inherited": tuple(dict.fromkeys(frame.inherited + ("filters",)))})


def _tier_statistic(frame: Frame, before: Frame) -> Frame:
    """"2019年第一梯队有哪些城市，平均分多少": a statistic that names no tier, after a part that listed
    one tier ("what was their average?": its members, whom the earlier answer named), is taken over
    that tier's members."""
    stat = slots.statistic(frame.question)
    named = frame.entities and "entities" not in frame.inherited
    if stat not in slots.STATISTICS or frame.tier is not None or named or frame.n or before.operation != "tier" or \
            before.tier is None or before.entities:
        return frame
    return frame.model_copy(update={"operation": "rank", "aspect": stat, "tier": before.tier, "entities": (),
                                    "inherited": tuple(dict.fromkeys(frame.inherited + ("tier",)))})


def _among(frame: Frame, before: Frame) -> Frame:
    """"Shenzhen and Hangzhou, who is ahead?": a leader part that names nobody, after a part that
    names several, asks which of them leads (not who leads the whole edition, unless "overall")."""
    if frame.operation != "leader" or frame.entities or len(before.entities) < 2 or frame.filters or \
            frame.direction == "bottom" or words("overall")(frame.question) or slots.of_measure("leader", frame.question):
        return frame  # "…, right? who topped it?": the field's leader
    return frame.model_copy(update={"operation": "compare", "entities": before.entities,
                                    "inherited": tuple(dict.fromkeys(frame.inherited + ("entities",)))})


def _counted_within(frame: Frame, before: Frame) -> Frame:
    """"第三和第四梯队一共几个城市？东中西部各占多少？", "Of the cities in the first four tiers, how many
    are northern?": a count by zone after a part about tiers counts within them (their filters kept)."""
    tiers = tuple(f for f in before.filters or () if f.field in ("tier", "class"))
    if frame.operation != "count" or before.operation not in ("count", "tier") or not tiers or frame.entities or \
            any(f.field in ("tier", "class") for f in frame.filters or ()) or \
            not any(f.field == "region" for f in frame.filters or ()):
        return frame
    return frame.model_copy(update={"filters": (*tiers, *frame.filters), "inherited": tuple(dict.fromkeys(frame.inherited + ("tier",)))})


def _others_in_tier(frame: Frame, before: Frame, said: str) -> bool:
    """Does the part ask who else shares the tier the part before asked of one entity?"""
    tier_of_one = len(before.entities) == 1 and (before.operation == "tier" or before.aspect == "tier")
    return tier_of_one and set(frame.entities) <= set(before.entities) and \
        any(w in said.lower() for w in words_of("others_words"))


def _reason_of_change(frame: Frame, before: Frame) -> bool:
    """A part that asks only why ("and why?", "是靠什么指标涨上去的") after a change part, naming no
    place of its own: the reason of that change, which its answer states."""
    return before.operation == "change" and words("reason_asked")(frame.question.lower()) and \
        not any(link.kind == "entity" and link.target for link in frame.links)


def _compared_later(frames: list[Frame]) -> list[Frame]:
    """A lookup of several entities that a later part compares is answered by the comparison; a part
    that names no edition is of the one a later part names ("How many cities and how many indicators
    does the 2020 index cover": both of the 2020 index)."""
    compared = [set(f.entities) for f in frames if f.operation == "compare"]
    named = [(i, f) for i, f in enumerate(frames) if f.edition_source in ("explicit", "year")]
    frames = [f.model_copy(update={"editions": later.editions, "edition_source": later.edition_source})
              if f.edition_source in (None, "default") and (later := next((g for j, g in named if j > i), None)) else f
              for i, f in enumerate(frames)]
    return [f for f in frames if not (f.operation == "lookup" and len(f.entities) > 1 and set(f.entities) in compared)]


def _measured_against(frame: Frame, before: Frame) -> Frame:
    """"Wuhan's score, also how far is it behind Guangzhou?", "苏州…；和无锡差多少", "离第一名差多少",
    "第五名是谁，比第四名少几分": the earlier part's subject (the entity it named, or the one its
    answer names) is measured against the one entity this part names."""
    subject = _subject(before)
    if frame.operation not in PAIRED or len(frame.entities) != 1 or not subject or \
            frame.entities[0] in before.entities + (subject,) or \
            not (pronoun(frame.question) or _set_against(frame) or _position(frame)):
        return frame
    return frame.model_copy(update={"entities": (subject,) + frame.entities, "aspect": "entity"})


def _subject(before: Frame) -> str | None:
    """The entity a part is about: the first it names, else the one holder of the place it asked
    for ("2020年第五名是谁" names 西安; "who is last on innovation base" names 拉萨)."""
    if before.entities:
        return before.entities[0]
    if not before.editions or before.filters or before.operation not in ("rank", "leader") or (before.n or 1) != 1:
        return None
    place = before.offset + 1
    return positions.holder(before.editions[0], -place if before.direction == "bottom" else place, before.dimension, before.tier)


def _same_edition(frame: Frame, before: Frame) -> Frame:
    """"2019年创新基础谁垫底？比倒数第二低多少": a part that names no edition (its edition is the
    default) asks in the earlier part's; a place it names is then the place in that edition."""
    if frame.edition_source != "default" or not before.editions or frame.editions[:1] == before.editions[:1] or \
            not fits(before.editions[0], list(frame.entities), catalogue()):
        return frame  # "Chongqing in the 2020 index, and how does Yubei do?": a district is not in it
    update = {"editions": before.editions, "edition_source": "inherited",
              "inherited": tuple(dict.fromkeys(frame.inherited + ("editions",)))}
    return _placed(frame, update, before.editions[0], frame.dimension)


def _placed(frame: Frame, update: dict, edition: str, dimension: str | None) -> Frame:
    """``frame`` updated, with the entity it named by place ("第二名") re-read as the holder of
    that place in ``edition`` by ``dimension`` (the composite when ``None``)."""
    spot = _position(frame)
    held = positions.holder(edition, int(spot.surface), dimension) if spot else None
    if held:
        update["entities"] = tuple(held if e == spot.target else e for e in update.get("entities", frame.entities))
        update["links"] = tuple(link.model_copy(update={"target": held}) if link is spot else link
                                for link in frame.links)
    return frame.model_copy(update=update)


def _each(frame: Frame, before: Frame) -> Frame:
    """"…谁高？各自第几梯队？": a part with no entity that asks about each takes the earlier part's."""
    if frame.entities or len(before.entities) < 2 or frame.operation not in EACH or \
            not any(w in frame.question.lower() for w in words_of("each_words")):
        return frame
    return frame.model_copy(update={"entities": before.entities,
                                    "inherited": tuple(dict.fromkeys(frame.inherited + ("entities",)))})


def _same_subject(frame: Frame, before: Frame) -> Frame:
    """"西安2020年得分多少？在第几梯队？为什么…", "深圳…排第几，以及原因": a part that names nobody
    and asks what only an entity has (its tier, its reasons, its strongest dimension) asks about the earlier part's
    ("重庆区县双创指数第一名是谁，属于第几类": the one the earlier answer names)."""
    subject = before.entities or tuple(filter(None, [_subject(before)]))
    own_best = frame.operation == "leader" and any(words("strengths_asked", side)(frame.question)
                                                   for side in ("strong", "weak"))  # "最强的维度是哪个"
    own_rank = frame.operation == "rank" and len(subject) == 1 and not frame.offset  # "Chengdu: 2019 rank? 2020 rank?"
    if frame.entities or not subject or not (frame.operation in ABOUT_AN_ENTITY or own_best or own_rank) or \
            frame.tier is not None or frame.filters or frame.n:
        return frame
    if own_rank:
        frame = frame.model_copy(update={"operation": "lookup", "aspect": "rank", "direction": None})
    return frame.model_copy(update={"entities": subject,
                                    "inherited": tuple(dict.fromkeys(frame.inherited + ("entities",)))})


def _next_above(frame: Frame, before: Frame) -> Frame:
    """"Hefei's rank, and which city is just ahead of it?": a leader or rank part about the one
    entity the earlier part named, in words of the place above it (lexicon gap ``next_rank``),
    asks for its neighbour and the gap to it, not for the edition's leader."""
    subject = frame.entities or (pronoun(frame.question) and tuple(filter(None, [_subject(before)])))
    if frame.operation not in ("leader", "rank") or not subject or len(subject) != 1 or \
            subject[0] not in before.entities + (_subject(before),) or \
            not words("aspects", "gap", "next_rank")(frame.question):
        return frame
    return frame.model_copy(update={"operation": "gap", "aspect": "next_rank", "direction": None, "entities": subject})


def _same_dimension(frame: Frame, before: Frame) -> Frame:
    """The dimension of the part before when this one names none (and does not ask for the
    composite) and both are answered from the same edition; a place it names ("第二名") is then
    the place on that dimension."""
    cut_off = frame.operation == "method" and frame.aspect == "thresholds"  # "前三名，还有进TOP10的门槛": that list's
    if frame.dimension or not before.dimension or frame.operation not in MEASURED and not cut_off or \
            frame.editions[:1] != before.editions[:1] or words("overall")(frame.question) or \
            any(link.kind in ("dimension", "indicator") for link in frame.links):
        return frame
    update = {"dimension": before.dimension, "inherited": tuple(dict.fromkeys(frame.inherited + ("dimension",)))}
    return _placed(frame, update, frame.editions[0], before.dimension) if frame.editions else frame.model_copy(update=update)


def frames_of(parts: list[str], history: list[dict], answer_of: Callable[[Frame], object]) -> list[Frame] | None:
    """One frame per part, each understood after the ones before it; ``None`` when the cut does not
    hold (then the whole question is one frame). ``answer_of`` answers a frame (an envelope: its
    ``answer`` text and its ``frame`` record with the route taken)."""
    from .understand import understand

    frames, turns, skipped, texts = [], list(history), False, []
    for i, part in enumerate(parts):
        frame = understand(part, turns)
        if frame.operation in NOT_ON_THEIR_OWN and frames and frames[-1].operation in LISTED and not frame.links \
                and _width(part) <= SHORT_ASK:
            skipped = True
            continue  # "How many … are in Guangdong, and which ones?": the count's answer names them
        if frame.operation in NOT_ON_THEIR_OWN or _only_names(frame):
            return None
        if frames and frames[-1].operation in FIGURED and not frame.links and _width(part) <= SHORT_ASK and \
                words("value_asked")(part.lower()) and not words("range_asked")(part.lower()):  # "分数区间是多少" asks more
            skipped = True
            continue  # "which city is highest on X, and what's the figure?": the leader's answer states it
        if frames and (into := folding.into(frames[-1], frame, part, texts[-1])):
            frames[-1], skipped = into, True
            continue  # "重庆科研机构R&D经费支出多少，同比增长多少？": the passage that answers the first answers both
        if frames and _reason_of_change(frame, frames[-1]):
            frames[-1] = frames[-1].model_copy(update={"question": f"{frames[-1].question} {part}"})
            skipped = True
            continue  # "哪个区县涨幅最大？靠什么涨的？": the change answer gives the driver the report prints
        if frames and frames[-1].operation in ("count", "tier") and not frame.links and words("share_asked")(part.lower()):
            frames[-1] = frames[-1].model_copy(update={"question": f"{frames[-1].question} {part}"})
            skipped = True
            continue  # "第五梯队有多少个城市，占总数的比例是多少？": the count states its share of the whole
        if frames and _others_in_tier(frame, frames[-1], f"{parts[i - 1]} {part}"):
            frames[-1] = frames[-1].model_copy(update={"operation": "tier"})
            skipped = True
            continue  # "Which tier is Xi'an in, and who else is in it?": the tier answer names the others
        if frames:
            frame = _shared(frame, frames[-1])
        frames.append(frame)
        if i + 1 < len(parts):  # the next part may refer to what this one's answer names ("it")
            env = answer_of(frame)
            turns += [{"role": "user", "content": part}, {"role": "assistant", "content": env.answer}]
            texts.append((env.frame or {}).get("route") in ("narrative", "concept"))  # answered from the text
    if len(frames) > 1 and _heading(frames[0]) and set(frames[0].entities) <= set(frames[1].entities):
        frames, skipped = frames[1:], True  # "hefei vs wuhan 2020, who wins on talent…": the names the asks are of
    each = [g for f in _compared_later(frames) for g in one_each(f)]
    folded = _under_hypothesis(each)
    kept = _distinct(folded)
    # one frame left: the whole question is one, unless that frame answers the other parts too (a
    # what-if took a later part's entities, a count names "which ones", a comparison says by how much)
    covers = skipped or len(folded) < len(each) or len(frames) > 1 and kept[0].operation == "compare"
    return kept if len(kept) > 1 or covers else None


def one_each(frame: Frame) -> list[Frame]:
    """A ranking asked of two named editions is one per edition (a tier part about several entities stays
    one: the tier answer groups them), a lookup naming two or more dimensions or
    indicators ("rank and score on base and on input", "新注册企业和众创空间数量") one per measure."""
    if frame.operation in ("leader", "rank") and frame.edition_source == "explicit" and len(frame.editions) > 1:
        return [frame.model_copy(update={"editions": (e,)}) for e in frame.editions]  # "who topped X in 2019 and in 2020"
    if frame.operation == "lookup" and frame.entities:
        for kind, slot in (("dimension", "dimension"), ("indicator", "indicator")):
            named = list(dict.fromkeys(link.target for link in frame.links if link.kind == kind and link.target))
            if len(named) >= 2:
                return [frame.model_copy(update={slot: t, **({"aspect": "indicator"} if kind == "indicator" else {})})
                        for t in named]
    zones = [f for f in frame.filters or () if f.field == "region"]
    if frame.operation in ("count", "rank", "tier") and len(zones) >= 2:
        # "东中西部各占多少", "前十名在东中西部各占多少", "第一、二梯队分布在哪些地区": one count per zone,
        # the other filters (and the top N, or the tier asked) kept
        rest = tuple(f for f in frame.filters if f.field != "region")
        if frame.tier is not None and not any(f.field in ("tier", "class") for f in rest):
            rest += (Filter(field="tier", value=str(frame.tier)),)
        return [frame.model_copy(update={"filters": (*rest, z), "operation": "count", "tier": None}) for z in zones]
    return [frame]


def _under_hypothesis(frames: list[Frame]) -> list[Frame]:
    """"What if the weights were equal, where does Hangzhou land?": a figure (or a what-if with no
    weights of its own) asked after a what-if or sensitivity part is asked under it."""
    out: list[Frame] = []
    for f in frames:
        if out and out[-1].operation in HYPOTHETICAL and \
                (f.operation in UNDER_HYPOTHESIS or f.operation in HYPOTHETICAL and not f.weights) and \
                f.editions[:1] == out[-1].editions[:1]:
            # "…, which city would come ninth?": a place in the what-if's order
            places = {"n": f.n, "offset": f.offset} if f.n and not out[-1].n else {}
            out[-1] = out[-1].model_copy(update={"entities": tuple(dict.fromkeys(out[-1].entities + f.entities)), **places})
            continue
        out.append(f)
    return out
