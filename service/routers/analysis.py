"""Analysis: what-if re-weighting, Monte Carlo sensitivity and crossover weights of an edition's ranks.

Weights, draws and spread are checked by :mod:`index_core.inputs` (inside :mod:`index_core.api`),
the same checks the CLI applies: ``nan``, infinite, negative or all-zero weights and more than
``DRAWS.high`` draws are a 422 ``invalid_input`` saying which value and why.
"""
from __future__ import annotations

from fastapi import APIRouter

from index_core import api

from ..models import SensitivityRequest, WhatIfRequest
from .editions import known_edition

router = APIRouter(tags=["analysis"])


@router.post("/whatif", summary="Re-weight dimensions: new composites, ranks and tiers")
def whatif(req: WhatIfRequest) -> dict:
    return api.whatif(known_edition(req.edition), req.weights)


@router.post("/sensitivity", summary="Monte Carlo weight perturbation")
def sensitivity(req: SensitivityRequest) -> dict:
    return api.sensitivity(known_edition(req.edition), draws=req.draws, spread=req.spread, seed=req.seed)


@router.get("/crossover", summary="The weight on each dimension at which two entities tie")
def crossover(edition: str, entity: str, other: str) -> dict:
    """Per dimension, the weight (0-1, the other dimensions sharing the rest equally) at which ``entity``
    and ``other`` tie on the composite, and who leads when it weighs more; ``weight`` is null where
    they never tie."""
    return api.crossover(known_edition(edition), entity, other)
