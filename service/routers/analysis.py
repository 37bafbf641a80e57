"""Analysis: what-if re-weighting and Monte Carlo sensitivity of an edition's ranks."""
from __future__ import annotations

import math

from fastapi import APIRouter

from index_core import api

from ..errors import ServiceError
from ..models import SensitivityRequest, WhatIfRequest
from .editions import known_edition

router = APIRouter(tags=["analysis"])


@router.post("/whatif", summary="Re-weight dimensions: new composites, ranks and tiers")
def whatif(req: WhatIfRequest) -> dict:
    bad = {k: v for k, v in req.weights.items() if not math.isfinite(v) or v < 0 or v > 1e6}
    if bad:
        raise ServiceError(422, "invalid_weights", f"Weights must be finite numbers in [0, 1e6], got {bad}",
                           hint='Example: {"innovation_base": 1, "innovation_input": 1}')
    return api.whatif(known_edition(req.edition), req.weights)


@router.post("/sensitivity", summary="Monte Carlo weight perturbation")
def sensitivity(req: SensitivityRequest) -> dict:
    return api.sensitivity(known_edition(req.edition), draws=req.draws, spread=req.spread, seed=req.seed)
