"""``hardtech serve``: run the API and the chat page under uvicorn.

The root CLI mounts it with ``service.cli.register(app)``.
"""
from __future__ import annotations

import os

import typer

from hardtech.settings import get_settings


def prepare_retrieval_index() -> str:
    """Build the retrieval index once, here, before any worker starts.

    Workers only read it (chromadb's PersistentClient is not safe with several
    writing processes); with ``HARDTECH_CHROMA_URL`` they query the chroma server instead.
    """
    from assistant import retrieval

    state = retrieval.index_state()
    if state == "chroma":
        return f"retrieval: chroma server at {get_settings().chroma_url}"
    if state == "ready":
        return "retrieval index: ready"
    typer.echo("Building the retrieval index once before starting workers…", err=True)
    retrieval.build_index()
    return "retrieval index: built"


# Math libraries start one thread per core in every process by default; with N workers on C cores
# that is N x C busy threads fighting over C cores (and OpenBLAS threads spin while they wait).
THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS",
              "NUMEXPR_MAX_THREADS", "VECLIB_MAXIMUM_THREADS", "BLIS_NUM_THREADS", "RAYON_NUM_THREADS",
              "HARDTECH_EMBED_THREADS")


def worker_environment(workers: int, cpus: int | None = None) -> dict[str, str]:
    """Environment for the uvicorn workers, which are new interpreters that read it before they
    import numpy/torch: math-library threads capped so all workers together use about one thread
    per core; models loaded before a worker accepts requests. Values already set are kept."""
    cpus = cpus or os.cpu_count() or 1
    per_worker = str(max(1, cpus // max(1, workers)))
    env = {name: per_worker for name in THREAD_ENV}
    env["TOKENIZERS_PARALLELISM"] = "false"
    env["HARDTECH_WARMUP"] = "1"
    env["HARDTECH_GIL_SWITCH_MS"] = "1"
    return {k: v for k, v in env.items() if not os.environ.get(k, "").strip()}


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (0.0.0.0 for every interface)."),
        port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
        workers: int = typer.Option(1, "--workers", min=1, max=64, help="uvicorn worker processes."),
        log_level: str = typer.Option("info", "--log-level", help="uvicorn log level."),
        skip_index: bool = typer.Option(False, "--skip-index-check", help="Do not build the retrieval index at start."),
    ) -> None:
        """Serve the portal API (/api/v1, /v1/chat/completions, /docs) and the chat page at /."""
        import uvicorn

        settings = get_settings()
        settings.home.mkdir(parents=True, exist_ok=True)
        if not skip_index:
            typer.echo(prepare_retrieval_index(), err=True)
        if host not in ("127.0.0.1", "localhost", "::1") and not settings.api_keys:
            typer.echo("Warning: listening beyond localhost without HARDTECH_API_KEYS: anyone who can reach it can use it.",
                       err=True)
        typer.echo(f"hardtech serving on http://{host}:{port}/ ({workers} worker{'s' if workers > 1 else ''}); "
                   f"API docs at /docs", err=True)
        # After the index build (which may use every core), before uvicorn spawns the workers.
        # (With one worker uvicorn serves in this process, where the cap is cores / 1: the default.)
        os.environ.update(worker_environment(workers))
        opts = dict(factory=True, log_level=log_level, proxy_headers=False, server_header=False, timeout_graceful_shutdown=10)
        from . import workers as multi

        if workers > 1 and multi.reuseport_available(host):
            # One listening socket per worker, so the kernel spreads connections evenly (see service/workers.py).
            multi.run("service.app:create_app", host=host, port=port, workers=workers, **opts)
        else:
            uvicorn.run("service.app:create_app", host=host, port=port, workers=workers, **opts)
