"""Cutting a question into its parts: where a clause starts a new question (``part_patterns`` in
the lexicon), a comma between two Chinese clauses that each ask, and a part that only sets the scene
joined to the one it belongs to. :mod:`assistant.offline.parts` understands and answers the parts."""
from __future__ import annotations

import functools
import re

from .understand.lexicon import Words, lexicon, patterns, words

MAX_PARTS = 4
MIN_PART_WIDTH = 3     # a Latin letter counts 1, a Chinese character 2: "rank" and "排名" are parts, "Q3" is not


def split(question: str) -> list[str]:
    """The question's parts, in order (one part when no clause starts a new question)."""
    # at one place the longest cut wins ("；另外" over "；")
    rxs = patterns("part_patterns") + (() if words("cues", "whatif")(question.lower()) else patterns("part_then_patterns"))
    cuts = sorted({(m.start(), m.end()) for rx in rxs for m in rx.finditer(question)}, key=lambda c: (c[0], -c[1]))
    parts, last = [], 0
    for start, end in cuts:
        if start < last:
            continue
        parts.append(question[last:start])
        last = end
    parts.append(question[last:])
    parts = _scene_setters_joined([c.strip(" ,，;；、") for p in parts for c in _asking_clauses(p)])
    if len(parts) > MAX_PARTS or any(width(p) < MIN_PART_WIDTH for p in parts):
        return [question]
    return parts


def _asking_clauses(part: str) -> list[str]:
    """"天津排第几，属于哪个梯队，跟南京差多少": a comma between two Chinese clauses that each ask
    (lexicon ``clause_asks``) starts a part; a clause that asks nothing stays with the one before
    ("2020年济南和长沙，谁排名靠前" is one part)."""
    asks, tag = words("clause_asks"), re.compile(lexicon()["tag_asks"])
    out: list[str] = []
    for clause in re.split(r"(?<=[，、])|(?<=\D,)(?=\D)", part):
        if out and asks(out[-1]) and asks(clause) and not tag.match(clause):
            out.append(clause)
        else:
            out[-1:] = [(out[-1] if out else "") + clause]
    return out


def width(part: str) -> int:
    return sum(2 if "\u3400" <= c <= "\u9fff" else 1 for c in part if c.isalnum())


@functools.lru_cache(maxsize=1)
def _scene_words() -> tuple[re.Pattern, Words, Words]:
    """The lead-in pattern, the question words and every operation's cue words (built once)."""
    lex = lexicon()
    asks = Words(w for forms in lex["question_words"].values() for w in forms)
    cues = Words(w for name, forms in lex["cues"].items() if name not in ("followup", "pronoun", "plural")
                 for lang in forms.values() for w in lang)
    return re.compile(lex["part_lead_ins"], re.IGNORECASE), asks, cues


def _scene_setters_joined(parts: list[str]) -> list[str]:
    """A part that only sets the scene ("In the Chongqing district index", lexicon ``part_lead_ins``;
    "Yubei or Jiangbei": no cue of any operation) and asks nothing is joined to the part after it,
    or, when it comes last, to the part before it."""
    lead_in, asks, cues = _scene_words()
    out: list[str] = []
    scene = ""
    for i, p in enumerate(parts):
        # "In the Chongqing district index, ...", "Yubei or Jiangbei, which ...": no question of its own
        # ...but "in the global index top 15, count the Chinese ones" asks after its lead-in
        rest = re.split(r"[,，;；]", p, maxsplit=1)[1:]
        last = i == len(parts) - 1
        premise = re.search(lexicon()["part_premise_openers"], p, re.IGNORECASE)  # "Since X scored 90, …"
        if not last and not asks(p) and not re.search(lexicon()["part_tag_questions"], p) and \
                (lead_in.search(p) and not cues(" ".join(rest)) or not cues(p) or premise):
            scene = f"{scene}{p}, "
            continue
        out.append(scene + p)
        scene = ""
    # "What tier is Qingdao in, 2019 edition?": a last part naming only the year of a question that
    # named none is its edition ("…in 2019, and in 2020?" asks the same of another year)
    if len(out) > 1 and re.search(lexicon()["part_scene_tails"], out[-1].strip(" ?？。.!！"), re.IGNORECASE) \
            and not re.search(r"(?:19|20)\d\d", out[-2]):
        out[-2:] = [f"{out[-2]}, {out[-1]}"]
    return out
