"""The weights a what-if supposes, read from the question: "input 40%, output 40%", "15/35/35/15",
"权重都平分", "人才权重翻倍", "只看投入和产出各50%", "创新基础归零，15%加到创新产出上". Weights come
back by dimension key, in the edition's own units (not normalised); :mod:`index_core` normalises."""
from __future__ import annotations

import re

from index_core import io

from .lexicon import Words, lexicon
from .mention import Mention


def drops(text: str) -> bool:
    """Does the question leave a dimension out ("撇开创新环境不算", "ignoring talent")?"""
    more = (lexicon().get("weight_changes_more") or {}).get("zero") or {}
    return Words.of([*_forms(lexicon()["weights"].get("zero")), *_forms(more)])(text.lower())


def weights(text: str, edition: str | None, mentions: list[Mention]) -> dict[str, float] | None:
    """What-if weights by dimension key in ``edition`` (not normalised)."""
    if edition is None:
        return None
    spec = io.load_edition(edition).spec
    keys = [d.key for d in spec.dimensions]
    cfg = lexicon()["weights"]
    for m in mentions:  # a place's name is no weight word: the 都 of 成都 before "2019" is not "都 2019"
        if m.kind == "entity" and text[m.start:m.end] == m.surface:
            text = text[:m.start] + " " * (m.end - m.start) + text[m.end:]
    text = re.sub(cfg["set_aside"], " ", text)
    text = _shares_said(text, cfg.get("share_words") or {})
    pairs = {m.group("key"): float(m.group("value")) for m in re.finditer(cfg["pair_pattern"], text.lower())}
    if pairs and set(pairs) <= set(keys):
        return pairs
    m = re.search(cfg["list_pattern"], text)
    if m:
        nums = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", m.group("list"))]
        if len(nums) == len(keys):
            return dict(zip(keys, nums))
    low = text.lower()
    named = [t.target for m in mentions if m.kind == "dimension" for t in m.targets if t.edition == edition]
    equal = Words.of(cfg["equal"])(low)
    base = {d.key: float(d.weight if d.weight is not None else 1.0) for d in spec.dimensions}
    moved = _transferred(text, edition, mentions, base, cfg)
    if moved:
        return moved
    stated = _stated_shares(text, edition, mentions, cfg["share_pattern"], cfg.get("fraction_pattern"))
    if stated:  # "input at 0.5 and the rest equally": what is left is shared equally, else as in the baseline
        return _fill(stated, {k: 1.0 for k in keys} if equal else base)
    each = None if named else re.search(cfg["each_pattern"], low)
    if equal or each and float(each.group("value") or each.group("zh")) > 0:  # "都是0" is no weight at all
        # "不算科研人才（其余四项等权）": a named dimension changed on top of equal weights for the rest
        base = {k: 1.0 for k in keys}
        if not named:
            return base
    only = bool(named) and Words.of(cfg.get("only"))(low)  # "如果只看创新产出": the others weigh nothing
    if only and len(set(named)) >= 2:  # "only talent and environment, half each": "half" shares, it halves nothing
        return {k: 1.0 if k in named else 0.0 for k in keys}
    for change, factor in (("double", 2.0), ("triple", 3.0), ("halve", 0.5), ("zero", 0.0)):
        more = (lexicon().get("weight_changes_more") or {}).get(change) or {}
        if named and Words.of([*_forms(cfg.get(change)), *_forms(more)])(low):
            base[named[0]] *= factor
            return base
    if only:
        return {k: 1.0 if k in named else 0.0 for k in keys}
    return base if equal or each else None  # "if output weighed the same as the others": equal weights


def _transferred(text: str, edition: str, mentions: list[Mention], base: dict[str, float],
                 cfg: dict) -> dict[str, float] | None:
    """Weight moved from one dimension to another ("创新基础权重归零，那15%加到创新产出上", "move
    talent's weight to output"): the first dimension named after the move word gains what the last one
    named before it gives up (all of it, or the percent said), in the baseline's units."""
    move = re.search(cfg["transfer_pattern"], text, re.IGNORECASE)
    if not move:
        return None
    # by where each mention ends: a fuzzy window may take the move's last word ("onto innovation input")
    dims = sorted((m.end, t.target) for m in mentions if m.kind == "dimension" for t in m.targets if t.edition == edition)
    source = [k for end, k in dims if end <= move.end()]
    target = [k for end, k in dims if end > move.end()]
    if not source or not target or source[-1] == target[0]:
        return None
    out = dict(base)
    said = re.search(cfg["share_pattern"], move.group(0).lower())
    given = out[source[-1]] if said is None else min(out[source[-1]], float(said.group("value")) / 100 * sum(base.values()))
    out[source[-1]] -= given
    out[target[0]] += given
    return out


def _forms(entry) -> list[str]:
    """The forms of a lexicon entry, ``{en: [...], zh: [...]}`` or a list."""
    if isinstance(entry, dict):
        return [f for forms in entry.values() for f in forms or ()]
    return list(entry or ())


def _shares_said(text: str, said: dict) -> str:
    """``text`` with shares said in words written as percents ("占一半" -> "占50%"), and without the
    share a weight is changed from ("从15%调到25%")."""
    text = re.sub(lexicon()["weights"].get("from_pattern") or r"(?!)", "", text, flags=re.IGNORECASE)
    for value, forms in said.items():
        for form in sorted((f for lang in forms.values() for f in lang), key=len, reverse=True):
            text = re.sub(re.escape(form), lambda m, f=form: f"{f} {value}%" if f.isascii() else f"占{value}%", text,
                          flags=re.IGNORECASE)
    return text


def _stated_shares(text: str, edition: str, mentions: list[Mention], pattern: str,
                   fraction: str | None = None) -> dict[str, float]:
    """Shares stated after the dimensions they belong to: "创新投入和创新产出的权重都提高到40%，
    创新基础和创新环境各10%", "input at 50%": each share goes to the dimensions named since the
    previous one (in percent)."""
    dims = sorted((m.start, t.target) for m in mentions if m.kind == "dimension" for t in m.targets if t.edition == edition)
    out: dict[str, float] = {}
    last = -1
    said = [(m.start(), float(m.group("value"))) for m in re.finditer(pattern, text.lower())]
    said += [(m.start(), 100 * float(m.group("value"))) for m in re.finditer(fraction, text.lower())] if fraction else []
    for at, value in sorted(said):
        for start, key in dims:
            if last < start < at:
                out[key] = value
        last = at
    return out


def _fill(stated: dict[str, float], base: dict[str, float]) -> dict[str, float] | None:
    """All weights (in percent) from the ones stated: the dimensions not named share what is left
    in their baseline proportions (nothing, when the stated ones make 100: "投入和产出各50%");
    ``None`` when the stated shares exceed 100."""
    rest = [k for k in base if k not in stated]
    left = 100.0 - sum(stated.values())
    if left < -1e-9:
        return None
    left = max(left, 0.0)
    total = sum(base[k] for k in rest)
    return {k: stated.get(k, left * base[k] / total if total else 0.0) for k in base}
