"""The hardtech HTTP service: the portal API, the OpenAI-compatible chat route and the chat page.

``create_app()`` in :mod:`service.app` builds the FastAPI application;
``hardtech serve`` (:mod:`service.cli`) runs it under uvicorn.
"""
from __future__ import annotations

__all__ = ["create_app"]


def create_app(*args, **kwargs):  # lazy, so ``import service`` stays cheap
    from .app import create_app as _create

    return _create(*args, **kwargs)
