"""Editions and scores: the read endpoints over :mod:`index_core.api`.

Their bodies are rendered once per worker and kept (``ServiceState.tables``): the shipped
editions never change while serving. A hit is served on the event loop; a miss is computed in
the threadpool and stored only when it succeeded, so the keys are real editions and names.
"""
from __future__ import annotations

import difflib
import re
from typing import Annotated, Literal, Optional

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from index_core import api, io
from index_core.errors import NotAvailableError, UnknownEditionError

from ..deps import StateDep
from ..models import EditionId, EntityName
from ..responses import render_json, scores_csv, scores_xlsx

router = APIRouter()


def known_edition(edition: str) -> str:
    """``edition`` if it is shipped; else a 404 with the close matches."""
    ids = io.edition_ids()
    if edition not in ids:
        raise UnknownEditionError(f"Unknown edition {edition!r}", hint=f"Known editions: {', '.join(ids)}. GET /api/v1/editions lists them.",
                                  suggestions=difflib.get_close_matches(edition, ids, n=3, cutoff=0.5))
    return edition


def _edition_path(edition: str = EditionId) -> str:
    return known_edition(edition)


Edition = Annotated[str, Depends(_edition_path)]


def render_editions() -> bytes:
    return render_json({"editions": api.list_editions()})


def render_scores(edition: str, fmt: str) -> bytes:
    data = api.scores(known_edition(edition))
    return scores_csv(data).encode("utf-8") if fmt == "csv" else scores_xlsx(data) if fmt == "xlsx" else render_json(data)


DOWNLOADS = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def render_entity(edition: str, name: str, kind: str) -> bytes:
    entity = api.resolve_entity(name, known_edition(edition))
    return render_json(api.entity_scores(edition, entity) if kind == "scores" else api.explain(edition, entity))


def _json(body: bytes) -> Response:
    return Response(body, media_type="application/json")


@router.get("/editions", tags=["editions"], summary="Every shipped edition")
async def editions(state: StateDep) -> Response:
    return _json(await state.tables.fetch(("editions",), render_editions))


@router.get("/editions/{edition}", tags=["editions"],
            summary="One edition: methodology, dimensions, weights, tiers (stated/assumed), discrepancies")
def edition_detail(edition: Edition) -> dict:
    summary = next(e for e in api.list_editions() if e["id"] == edition)
    try:
        tiers = api.tiers(edition)
    except NotAvailableError:  # an edition without tiers
        tiers = None
    return {**summary, "methodology": api.methodology(edition), "weights": api.result(edition).weights,
            "tiers": tiers, "discrepancies": api.discrepancies(edition)}


@router.get("/editions/{edition}/scores", tags=["scores"], summary="Every entity's scores (?format=csv or xlsx to download)",
            responses={200: {"content": {"text/csv": {}, DOWNLOADS["xlsx"]: {}}}})
async def edition_scores(state: StateDep, edition: str = EditionId, format: Literal["json", "csv", "xlsx"] = Query("json")) -> Response:
    body = await state.tables.fetch(("table", edition, format), render_scores, edition, format)
    if format in DOWNLOADS:
        return Response(body, media_type=DOWNLOADS[format],
                        headers={"Content-Disposition": f'attachment; filename="{edition}-scores.{format}"'})
    return _json(body)


@router.get("/editions/{edition}/entities/{name}", tags=["scores"], summary="One entity (any alias)")
async def entity(state: StateDep, edition: str = EditionId, name: str = EntityName) -> Response:
    return _json(await state.tables.fetch(("scores", edition, name), render_entity, edition, name, "scores"))


@router.get("/editions/{edition}/entities/{name}/explain", tags=["scores"],
            summary="Contributions, strengths, weaknesses, gaps to next rank and tier")
async def explain(state: StateDep, edition: str = EditionId, name: str = EntityName) -> Response:
    return _json(await state.tables.fetch(("explain", edition, name), render_entity, edition, name, "explain"))


@router.get("/editions/{edition}/rankings", tags=["scores"], summary="Ranking by composite or one dimension")
def rankings(edition: Edition,
             by: Optional[str] = Query(None, max_length=100, description="Dimension key or Chinese name; default composite"),
             top: Optional[int] = Query(None, description="The first N (1 to 1000; checked as `hardtech rank --top` is)."),
             bottom: bool = Query(False)) -> dict:
    return api.ranking(edition, by=by or None, top=top, bottom=bottom)


@router.get("/editions/{edition}/tiers", tags=["scores"], summary="Tier rules and members")
def tiers(edition: Edition) -> dict:
    return api.tiers(edition)


@router.get("/compare", tags=["scores"], summary="Several entities side by side")
def compare(edition: str = Query(..., max_length=100),
            names: str = Query(..., max_length=1000, description="Comma-separated names, 2 to 50, e.g. 深圳,上海")) -> dict:
    known_edition(edition)
    names_list = [x.strip() for x in re.split(r"[,，、;；]", names) if x.strip()]
    return api.compare(edition, names_list)  # counted (index_core.inputs), then each name resolved
