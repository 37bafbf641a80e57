"""What handlers return: blocks of phrase references and typed values, never finished text.

A handler says *what* to state (``P("lookup.score", entity=Ent("深圳"), score=Num(...))``);
the writer (:mod:`assistant.offline.writer`) decides *how*, in the frame's language, from
``phrases.yaml``. Numbers travel as :class:`Num` with their source (a tool-call id or a
:class:`Cite`), so the writer can record every number it prints; a bare ``int``/``float``
in a block is refused.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Union

NumKind = Literal["score", "rank", "count", "percent", "tier", "value", "year"]


@dataclass(frozen=True)
class Cite:
    """A passage to cite: report file and 1-based line range. ``needles`` pick the quoted sentences."""

    source_file: str
    first: int
    last: int | None = None
    needles: tuple[str, ...] = ()
    quote: str | None = None          # a verbatim quote to use instead of selecting one
    also: tuple[int, ...] = ()        # other lines of the same file that print the same figure (cited beside it)

    @property
    def end(self) -> int:
        return self.last or self.first


@dataclass(frozen=True)
class Num:
    """A number stated in the answer. ``source`` is a tool-call id (``t1``) or a :class:`Cite`.

    ``decimals`` defaults by kind: scores 2, everything else as an integer when whole."""

    value: float
    label: str
    source: Union[str, Cite]
    kind: NumKind = "value"
    decimals: int | None = None
    unit: str | None = None           # an indicator's unit as printed (人/万人, %, 亿元); None for scores and ranks
    entity: str | None = None
    edition: str | None = None
    dimension: str | None = None
    silent: bool = False              # recorded but not printed (a tier number inside its label "第二梯队")


@dataclass(frozen=True)
class Ent:
    """An entity by canonical name; rendered "深圳" in Chinese, "Shenzhen (深圳)" in English."""

    name: str


@dataclass(frozen=True)
class Dim:
    """A dimension / field / sub-index of an edition, labelled from the spec."""

    edition: str
    key: str


@dataclass(frozen=True)
class Ed:
    """An edition, named from its spec (title, year, id)."""

    edition: str


@dataclass(frozen=True)
class Local:
    """Text that comes from data in both languages (a tier label, a concept's answer)."""

    zh: str
    en: str
    source: str | None = None         # a tool-call id whose result holds this text: its numbers are recorded


@dataclass(frozen=True)
class P:
    """A phrase from ``phrases.yaml`` with its placeholders filled."""

    key: str
    slots: dict[str, Any] = field(default_factory=dict)

    def __init__(self, key: str, **slots: Any) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "slots", slots)


@dataclass(frozen=True)
class Join:
    """Values joined by a separator phrase (``sep.list``: 、 / , )."""

    items: tuple[Any, ...]
    sep: str = "sep.list"

    def __init__(self, items: Any, sep: str = "sep.list") -> None:
        object.__setattr__(self, "items", tuple(items))
        object.__setattr__(self, "sep", sep)


@dataclass(frozen=True)
class Verbatim:
    """Report text stated as part of a sentence (its numbers are recorded against ``cite``)."""

    text: str
    cite: Cite


Value = Union[str, Num, Cite, Ent, Dim, Ed, Local, P, Join, Verbatim]


# ----------------------------------------------------------------------------- blocks
@dataclass(frozen=True)
class Line:
    """One paragraph."""

    phrase: P


@dataclass(frozen=True)
class Aside:
    """A remark that follows the answer (which edition was assumed, how a name was read)."""

    phrase: P


@dataclass(frozen=True)
class Bullets:
    items: tuple[P, ...]

    def __init__(self, items: Any) -> None:
        object.__setattr__(self, "items", tuple(items))


@dataclass(frozen=True)
class Table:
    """A markdown table: a header row and data rows of values."""

    head: tuple[Any, ...]
    rows: tuple[tuple[Any, ...], ...]

    def __init__(self, head: Any, rows: Any) -> None:
        object.__setattr__(self, "head", tuple(head))
        object.__setattr__(self, "rows", tuple(tuple(r) for r in rows))


@dataclass(frozen=True)
class Quote:
    """A verbatim quote of a cited passage, shown in the answer (after the answer is stated)."""

    cite: Cite
    phrase: str = "quote.plain"


@dataclass(frozen=True)
class Chart:
    """A chart: ``kind`` bar (one entity vs median and leader), ranking (sorted bars),
    compare (grouped bars). Labels and series names are values (rendered as plain labels)."""

    kind: Literal["bar", "ranking", "compare", "radar"]
    title: Any
    labels: tuple[Any, ...]
    series: tuple[tuple[Any, tuple[float | None, ...]], ...]


@dataclass(frozen=True)
class Warn:
    """A machine-readable remark for ``Envelope.warnings`` (logs, eval reports), not answer text."""

    text: str


Block = Union[Line, Aside, Bullets, Table, Quote, Chart, Warn]


@dataclass(frozen=True)
class Fallback:
    """A handler's declared hand-over: the router runs ``operation`` on the same frame
    (updated with ``update``) and records the route. A handler never calls another one."""

    operation: str
    reason: str
    update: dict[str, Any] = field(default_factory=dict)
    keep: tuple[Block, ...] = ()      # blocks already produced that stay in front
