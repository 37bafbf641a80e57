"""The exemplar bank: templates x slot fillers x languages, plus hand-written paraphrases.

Everything is data (``data/templates.yaml``, ``data/fillers.yaml``, ``data/paraphrases.yaml``)
and the fillers come from the registry and the specs, so the bank grows with them. The
generation is seeded: the same data gives the same bank, and :func:`fingerprint` says
whether the shipped classifier was trained on it.
"""
from __future__ import annotations

import functools
import hashlib
import json
import random
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from index_core import io

from . import pinyin
from .catalogue import catalogue
from .lexicon import lexicon
from .normalise import detect_language

DATA = Path(__file__).resolve().parent / "data"
SEED = 20240917
PER_TEMPLATE = 5
_SLOT = re.compile(r"\{([A-Z]\d?)\}")


@dataclass(frozen=True)
class Exemplar:
    text: str
    label: str        # an operation, or "follow_up"
    language: str     # zh | en
    source: str       # "t:<label>:<lang>:<n>" (template n) or "p:<label>:<n>" (paraphrase n)

    @property
    def group(self) -> str:
        """Exemplars of one template share a group (the held-aside split is by group)."""
        return self.source


def _load(name: str) -> dict:
    return io.load_yaml((DATA / name).read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def _homophones() -> dict[str, list[str]]:
    by_sound: dict[str, list[str]] = defaultdict(list)
    for char, readings in pinyin.table().items():
        if len(char) == 1:
            by_sound[readings[0]].append(char)
    return {c: [x for x in by_sound[r[0]] if x != c] for c, r in pinyin.table().items() if len(c) == 1}


class _Filler:
    """Draws slot values for one template instance from one edition's data."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.cat = catalogue()
        self.registry = io.load_registry()
        self.fillers = _load("fillers.yaml")

    def instance(self, template: str, lang: str) -> str:
        rng = self.rng
        editions = [e for e in self.cat.editions.values() if "{D}" not in template or e.dimensions]
        ed = rng.choice(editions)
        spec = io.load_edition(ed.id).spec
        members = sorted(ed.members)
        chosen = rng.sample(members, 3)
        values: dict[str, str] = {}
        for slot in _SLOT.findall(template):
            if slot in values:
                continue
            values[slot] = self._value(slot, lang, ed, spec, chosen)
        return _SLOT.sub(lambda m: values[m.group(1)], template)

    def _value(self, slot: str, lang: str, ed, spec, chosen: list[str]) -> str:
        rng = self.rng
        if slot[0] == "E":
            return self._entity(chosen[int(slot[1:] or 1) - 1], lang)
        if slot == "D":
            zh, en, aliases = ed.dimension_names[rng.choice(ed.dimensions)]
            forms = [zh] + [a for a in aliases if not a.isascii()] if lang == "zh" else [en, en.lower()] + [a for a in aliases if a.isascii()]
            return rng.choice(forms)
        if slot == "Y":
            return str(ed.year)
        if slot == "X":
            forms = [spec.title.zh, spec.report.zh if spec.report else spec.title.zh] if lang == "zh" else \
                [spec.title.en, re.sub(r"\s*\(.*?\)", "", spec.title.en), f"{ed.year} index"]
            return rng.choice(forms)
        if slot == "I":
            facts = io.load_edition(ed.id).facts
            pairs = [(i.zh, i.en) for i in spec.indicators] + list(zip(facts["indicator_zh"], facts["indicator_en"]))
            zh, en = rng.choice(pairs) if pairs else ("高校数量", "universities")
            return zh if lang == "zh" else en.lower()
        if slot == "C":
            names = [n for c in self.cat.concepts.values() for n in (c.names_zh if lang == "zh" else c.names_en)]
            return rng.choice(names + self.fillers["concepts"][lang])
        if slot == "P":
            people = [p for c in self.cat.concepts.values() for p in c.people]
            return rng.choice(people + self.fillers["people"][lang])
        if slot == "M":
            measure = rng.choice(lexicon()["unknown_measures"])
            return rng.choice(measure[lang])
        if slot == "O":
            return rng.choice(self.fillers["off_topic"][lang])
        if slot == "W":
            return rng.choice(self.fillers["weights"][lang])
        if slot == "U":
            return str(rng.choice(self.fillers["unknown_years"]))
        if slot == "T":
            return rng.choice(self.fillers["tier_ordinals"][lang])
        if slot == "N":
            return rng.choice(self.fillers["numbers"][lang])
        raise KeyError(f"unknown template slot {{{slot}}}")

    def _entity(self, name: str, lang: str) -> str:
        rng = self.rng
        e = self.registry.get(name)
        if lang == "zh":
            form = rng.choice([e.name, e.name, *[a for a in e.aliases if not a.isascii()]] or [e.name])
            if rng.random() < 0.08 and (subs := _homophones().get(form[-1])):
                form = form[:-1] + rng.choice(subs)  # an input-method slip
            return form
        form = rng.choice([e.name_en, e.name_en, *[a for a in e.aliases if a.isascii() and len(a) > 2]])
        if rng.random() < 0.12 and len(form) >= 6:
            form = _typo(form, rng)
        return form.lower() if rng.random() < 0.2 else form


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["swap", "drop", "double"])
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == "drop":
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def slips(words: set[str] | frozenset[str], vocabulary: set[str] | frozenset[str]) -> set[str]:
    """The ``words`` (5+ letters, not in ``vocabulary``) that :func:`_typo` makes of a vocabulary
    word by a swap, a drop or a doubled letter ("inovation"): the bank's own slips, which a word
    list built from the bank must not count as words."""
    drops = {v[:i] + v[i + 1:] for v in vocabulary if len(v) >= 6 for i in range(1, len(v) - 1)}
    out = set()
    for w in words:
        if len(w) < 5 or not w.isalpha() or w in vocabulary:
            continue
        inner = range(1, len(w) - 1)
        if w in drops or any(w[:i] + w[i + 1:] in vocabulary or w[:i] + w[i + 1] + w[i] + w[i + 2:] in vocabulary for i in inner):
            out.add(w)
    return out


def _noise(text: str, lang: str, rng: random.Random) -> str:
    if rng.random() < 0.3:
        text = text.rstrip("?？")
    if lang == "en":
        if rng.random() < 0.2:
            text = text.lower()
        words = text.split(" ")
        long = [k for k, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
        if long and rng.random() < 0.12:
            k = rng.choice(long)
            words[k] = _typo(words[k], rng)
        return " ".join(words)
    if rng.random() < 0.1:
        text = text.replace("的", "", 1)
    return text


def generate(per_template: int = PER_TEMPLATE, seed: int = SEED) -> list[Exemplar]:
    """The whole bank: every template filled ``per_template`` times, then the paraphrases."""
    filler = _Filler(random.Random(seed))
    out: list[Exemplar] = []
    for label, by_lang in _load("templates.yaml").items():
        for lang, templates in by_lang.items():
            for n, template in enumerate(templates):
                # each template draws from its own stream: a name added to the data changes the
                # exemplars of the templates that use such names, not the whole bank
                rng = filler.rng = random.Random(f"{seed}:{label}:{lang}:{template}")
                seen: set[str] = set()
                for _ in range(per_template):
                    text = _noise(filler.instance(template, lang), lang, rng)
                    if label not in ("out_of_scope", "follow_up") and rng.random() < 0.05:
                        text = f"{rng.choice(filler.fillers['prefixes'][lang])} {text}"
                    if text not in seen:
                        seen.add(text)
                        out.append(Exemplar(text, label, lang, f"t:{label}:{lang}:{n}"))
    for label, questions in _load("paraphrases.yaml").items():
        for n, q in enumerate(questions):
            out.append(Exemplar(str(q), label, detect_language(str(q)), f"p:{label}:{n}"))
    return out


def fingerprint(exemplars: list[Exemplar], extra: str = "") -> str:
    """sha256 of the bank (texts, labels, order) and ``extra`` (the feature version)."""
    h = hashlib.sha256(extra.encode())
    for e in exemplars:
        h.update(json.dumps([e.text, e.label, e.source], ensure_ascii=False).encode())
    return h.hexdigest()


def held_aside(exemplars: list[Exemplar], share: float = 0.2, seed: int = SEED) -> set[str]:
    """Groups (templates, single paraphrases) kept out of training to measure generalisation:
    ``share`` of the templates of every label and language, and of the paraphrases."""
    rng = random.Random(seed)
    groups: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for e in exemplars:
        key = (e.source[0], e.label, e.language)
        if e.group not in groups[key]:
            groups[key].append(e.group)
    out: set[str] = set()
    for names in groups.values():
        k = max(1, round(share * len(names))) if len(names) >= 3 else 0
        out.update(rng.sample(names, k))
    return out
