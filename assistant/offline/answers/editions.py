"""Edition facts the answerer needs, read from the core's specs and registry (never literals):
which editions exist, what kind of entity each covers, its year, members, dimensions and
weights, and which edition best answers a question that names none."""
from __future__ import annotations

import functools

from index_core import api, io
from index_core.errors import HardtechError


@functools.lru_cache(maxsize=1)
def ids() -> tuple[str, ...]:
    return tuple(e["id"] for e in api.list_editions())


def spec(edition: str):
    return io.load_edition(edition).spec


@functools.lru_cache(maxsize=None)
def members(edition: str) -> frozenset[str]:
    return frozenset(io.load_edition(edition).entities)


@functools.lru_cache(maxsize=None)
def listing(edition: str, name: str) -> dict | None:
    """``name``'s row in the edition's city list (``cities.csv``: country_zh, source_file, line),
    for editions that list more entities than they score (the GTII: 45 cities, 15 printed)."""
    folder = io.load_edition(edition).folder
    path = folder / "cities.csv" if folder is not None else None
    if path is None or not path.is_file():
        return None
    return next((r for r in io.read_entity_rows(path) if r.get("entity") == name), None)


def region_of_members(edition: str, name: str) -> bool:
    """Is ``name`` the place whose parts the edition ranks (重庆 for the Chongqing districts)?"""
    reg = io.load_registry()
    regions = {reg.get(m).region for m in members(edition) if reg.get(m) is not None}
    return name not in members(edition) and regions == {name}


def kind(edition: str) -> str:
    """``city`` | ``global_city`` | ``district``."""
    return spec(edition).entity_kind


def year(edition: str) -> int:
    return int(spec(edition).edition_year)


def period(edition: str) -> str | None:
    return spec(edition).period


def weighted(edition: str) -> bool:
    """Every dimension has a weight (what-if, sensitivity and contributions need it)."""
    dims = spec(edition).dimensions
    return bool(dims) and all(d.weight is not None for d in dims)


def has_tiers(edition: str) -> bool:
    return spec(edition).tiers is not None


@functools.lru_cache(maxsize=64)
def printed_from_top(edition: str, dimension: str | None = None) -> bool:
    """Does the report print the ranking (by ``dimension``, else the composite) from first place down
    without gaps, but not to the last place (the GTII: a top 15 of 45, a top 10 per field)?"""
    res = api.ranking(edition, by=dimension, top=1000)
    rows = res["entities"]
    ranks = sorted(r["rank"] for r in rows if r.get("rank") is not None)
    return bool(rows) and all(r.get("score") is not None for r in rows) and ranks == list(range(1, len(rows) + 1)) \
        and len(rows) < res["of"]


def dimension_keys(edition: str) -> list[str]:
    return [d.key for d in spec(edition).dimensions]


def dimension_label(edition: str, key: str, lang: str) -> str:
    for d in spec(edition).dimensions:
        if d.key == key:
            return d.zh if lang == "zh" else d.en
    return key


def entity(name: str):
    return io.load_registry().get(name)


def entity_label(name: str, lang: str) -> str:
    """Plain label (charts): 深圳 / Shenzhen."""
    if lang == "zh":
        return name
    try:
        return entity(name).name_en or name
    except KeyError:
        return name


def has_fact(name: str, indicator: str) -> bool:
    """Does a facts table hold ``indicator`` for entity ``name`` (a raw value the report prints)?"""
    try:
        return bool(api.facts(None, name, indicator).get("facts"))
    except HardtechError:  # an entity no edition has: no facts
        return False


def stated_anywhere(indicator: str) -> bool:
    """Does a facts table hold ``indicator`` for any entity (so "X's value" has an answer: stated or not)?"""
    return bool(api.facts(None, None, indicator).get("facts"))


def entities_in(text: str) -> list[str]:
    """The registry's entities a text names."""
    return io.load_registry().find_in_text(text)


def known_entity(name: str) -> bool:
    return io.load_registry().lookup(name) is not None


def editions_with(name: str) -> list[str]:
    return [e for e in ids() if name in members(e)]


def by_year(y: int) -> list[str]:
    return [e for e in ids() if year(e) == y]


def newest_first(editions) -> list[str]:
    return sorted(editions, key=lambda e: (-year(e), e))


def default_for(entities=(), dimension: str | None = None) -> str:
    """The edition to answer from when the question names none.

    An edition that has the dimension; else one whose kind is the entities' own kind
    and that covers all of them (newest first); else the newest city edition."""
    if dimension:
        having = [e for e in ids() if dimension in dimension_keys(e)]
        if having:
            return newest_first(having)[0]
    reg = io.load_registry()
    if entities:
        kinds = {reg.get(n).kind for n in entities if reg.lookup(n)}
        covering = [e for e in ids() if all(n in members(e) for n in entities)]
        own = [e for e in covering if kind(e) in kinds]
        if own or covering:
            return newest_first(own or covering)[0]
        some = [e for e in ids() if entities[0] in members(e)]
        if some:
            return newest_first(some)[0]
    cities = [e for e in ids() if kind(e) == "city"]
    return newest_first(cities or ids())[0]


def pick(frame) -> str:
    """``frame.editions[0]`` or the default for its entities and dimension."""
    return frame.editions[0] if frame.editions else default_for(frame.entities, frame.dimension)


def weighted_editions() -> list[str]:
    return newest_first(e for e in ids() if weighted(e))
