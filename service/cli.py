"""``hardtech serve``: run the API and the chat page under uvicorn.

The root CLI mounts it with ``service.cli.register(app)``. Start-up says what it is doing at
each step that may take more than a moment, and "serving on …" only once the port accepts
connections. Faults it can live with (a read-only or full ``HARDTECH_HOME``, a retrieval index
it cannot repair) are warned about once, and the service starts degraded (``/readyz`` says
which part and how to fix it); faults it cannot live with (a taken port, a bad setting) stop it
with exit status 2 and a message that says what to change.
"""
from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path
from typing import Callable

import typer

from hardtech.settings import SettingsError, get_settings, reload_settings

Say = Callable[[str], None]


def say(message: str) -> None:
    typer.echo(message, err=True)


def prepare_retrieval_index(tell: Say = say) -> str:
    """Check the retrieval index once, here, before any worker starts, and build or repair it
    when it can; the line to print about it. Workers only read it (``vectors.npy`` and
    ``chunks.json``); with ``HARDTECH_CHROMA_URL`` they query the chroma server.

    chromadb never loads in this process (with one worker it is the worker): the probe query
    runs in a subprocess, and after a build the chroma store is written by a background
    process while the workers start (see :mod:`vectorstore.chroma_jobs`)."""
    from assistant import retrieval

    if retrieval.index_state() == "chroma":
        return f"retrieval: chroma server at {get_settings().chroma_url}"
    tell("Checking the retrieval index (chunk counts, corpus fingerprint, a probe query)…")
    try:
        removed = retrieval.integrity.remove_leftovers()
    except OSError:  # a read-only disk: nothing can be removed, nothing needs to be
        removed = []
    if removed:
        tell(f"Removed {len(removed)} leftover(s) of interrupted index builds.")
    report = retrieval.integrity.verify(probe=False)
    if report.ok and report.chroma == "written":
        report = retrieval.chroma_jobs.verify(Path(report.path))
    if report.ok:
        return f"retrieval index: ready ({report.count} passages, checked{_store_note(report)})"
    from .store import disk_state

    unwritable = disk_state(get_settings().home)
    if unwritable and report.chroma == "damaged":
        return (f"Warning: {report.problem}, and it cannot be rebuilt because HARDTECH_HOME is {unwritable}. Search "
                f"still works from the index's own vectors. Fix: make it writable, then: {report.hint.split(': ', 1)[-1]}")
    if unwritable:
        return (f"Warning: retrieval is unavailable: {report.problem}, and it cannot be rebuilt because HARDTECH_HOME "
                f"is {unwritable}. Starting anyway: scores and answers from the data work; search answers 503. "
                f"Fix: make room or make it writable, then: {report.hint.split(': ', 1)[-1]}")
    tell(f"The retrieval index needs building: {report.problem}. Building it now (a few seconds: the bundled "
         "reports' vectors ship with the package; only other documents are embedded)…")
    try:
        summary = retrieval.build_index(defer_chroma=True)
        steps = summary.get("steps") or {}
        tell(f"Built in {summary.get('seconds', 0):.1f} s: " + ", ".join(f"{k} {v:.1f} s" for k, v in steps.items()))
    except retrieval.errors.VectorStoreError as exc:
        return (f"Warning: retrieval is unavailable: {exc}\n"
                "Starting anyway: scores and answers from the data work; search answers 503 with the fix.")
    if summary.get("chroma") == "deferred":
        retrieval.chroma_jobs.spawn(Path(summary["path"]))
    report = retrieval.integrity.verify(probe=False)  # just written here: counts and fingerprint, no probe
    if report.ok:
        return f"retrieval index: built ({report.count} passages, checked{_store_note(report)})"
    return f"Warning: the retrieval index is still broken after a rebuild: {report.problem}. Fix: {report.hint}"


def _store_note(report) -> str:
    return "; the chroma store is being written in the background" if report.chroma == "being written" else ""


def home_warning(home) -> str | None:
    """A warning when ``HARDTECH_HOME`` cannot take writes (only feedback is written while serving)."""
    from .store import disk_state

    why = disk_state(home)
    if why is None:
        return None
    return (f"Warning: HARDTECH_HOME ({home}) is {why}: scores, search and answers work, but feedback posts "
            "get 503 until it can be written again (free space or make it writable).")


def accepts_connections(host: str, port: int) -> Callable[[], bool]:
    """Whether something accepts connections on ``host:port`` (for several workers, whose sockets
    this process does not hold)."""
    address = (host.strip("[]") if host not in ("0.0.0.0", "::") else "127.0.0.1", port)

    def probe() -> bool:
        try:
            with socket.create_connection(address, timeout=1):
                return True
        except OSError:
            return False
    return probe


def listening(sock: socket.socket) -> bool:
    """Whether ``sock`` (the one worker's own socket) listens: true only once uvicorn serves on it."""
    try:
        return bool(sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN))
    except OSError:  # closed
        return False


def announce(ready: Callable[[], bool], message: str, *, given_up: Callable[[], bool] = lambda: False,
             tell: Say = say, every: float = 1.5) -> threading.Thread:
    """Print ``message`` once ``ready()``, and a progress line every ``every`` seconds until then
    (workers warm up first: the editions, the index, the models). Stops quietly if ``given_up()``."""
    def watch() -> None:
        started = last = time.monotonic()
        while not ready():
            if given_up():
                return
            time.sleep(0.2)
            if time.monotonic() - last >= every:
                last = time.monotonic()
                tell(f"…still starting ({last - started:.0f} s): workers warm up before they accept connections")
        tell(message)

    thread = threading.Thread(target=watch, name="announce-serving", daemon=True)
    thread.start()
    return thread


# Math libraries start one thread per core in every process by default; with N workers on C cores
# that is N x C busy threads fighting over C cores (and OpenBLAS threads spin while they wait).
# (Not HARDTECH_EMBED_THREADS: the encoder's default of one thread is the fastest; two took a worker's
# warm-up from 1.5 s to 4.8 s on the shared 2-core machine, see vectorstore.embeddings.default_threads.)
THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS",
              "NUMEXPR_MAX_THREADS", "VECLIB_MAXIMUM_THREADS", "BLIS_NUM_THREADS", "RAYON_NUM_THREADS")


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


def port_taken(exc: OSError, port: int) -> None:
    say(f"Error: {exc}. Is another server running there? Pick a free port with --port, e.g. --port {port + 1}.")
    raise typer.Exit(2)


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (0.0.0.0 for every interface)."),
        port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
        workers: int = typer.Option(1, "--workers", min=1, max=64, help="uvicorn worker processes."),
        log_level: str = typer.Option("info", "--log-level", help="uvicorn log level."),
        skip_index: bool = typer.Option(False, "--skip-index-check", help="Do not check or build the retrieval index at start."),
    ) -> None:
        """Serve the portal API (/api/v1, /v1/chat/completions, /docs) and the chat page at /."""
        import uvicorn

        from . import workers as multi
        from .protocol import PROTOCOL
        from .responses import SHUTDOWN_SECONDS
        from .security import check_keys

        settings = get_settings()
        several = workers > 1 and multi.reuseport_available(host)
        try:
            check_keys(settings)
            sock = multi.bind_port(host, port)  # held from now on with one worker; a check with several
        except SettingsError as exc:
            say(f"Error: {exc}")
            raise typer.Exit(2) from None
        except multi.PortTaken as exc:
            port_taken(exc, port)
        if workers > 1:
            sock.close()
        try:
            settings.home.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            say(f"Warning: cannot create HARDTECH_HOME ({settings.home}): {exc.strerror}")
        warning = home_warning(settings.home)
        if warning:
            say(warning)
        from assistant import retrieval

        retrieval.prefetch_encoder()  # in the background: a worker that needs it waits for it
        if not skip_index:
            say(prepare_retrieval_index())
        if host not in ("127.0.0.1", "localhost", "::1") and not settings.api_keys:
            say("Warning: listening beyond localhost without HARDTECH_API_KEYS: anyone who can reach it can use it.")
        say(f"Starting {workers} worker{'s' if workers > 1 else ''}; each loads the editions, the index and the "
            "models and answers the warm-up questions before it accepts connections…")
        serving = (f"hardtech serving on http://{host}:{port}/ ({workers} worker{'s' if workers > 1 else ''}); "
                   "API docs at /docs")
        # After the index build (which may use every core), before uvicorn spawns the workers.
        # (With one worker uvicorn serves in this process, where the cap is cores / 1: the default.)
        os.environ.update(worker_environment(workers))
        reload_settings()  # with one worker, the app is created in this process: warm-up and the GIL switch apply
        opts = dict(factory=True, log_level=log_level, proxy_headers=False, server_header=False, timeout_graceful_shutdown=SHUTDOWN_SECONDS,
                    http=PROTOCOL)
        if several:
            # One listening socket per worker, so the kernel spreads connections evenly (see service/workers.py).
            announce(accepts_connections(host, port), serving)
            try:
                multi.run("service.app:create_app", host=host, port=port, workers=workers, **opts)
            except multi.PortTaken as exc:
                port_taken(exc, port)
        elif workers > 1:  # no SO_REUSEPORT here: uvicorn's own workers, sharing one socket
            announce(accepts_connections(host, port), serving)
            uvicorn.run("service.app:create_app", host=host, port=port, workers=workers, **opts)
        else:
            server = uvicorn.Server(uvicorn.Config("service.app:create_app", host=host, port=port, **opts))
            watch, lost = sock.dup(), []  # uvloop takes over `sock` itself; a duplicate shows its state

            def port_lost() -> bool:
                """Started but not listening: another server began listening on the port meanwhile
                (two sockets may bind one port with SO_REUSEADDR; only the first to listen gets it,
                and uvloop does not report the other's failure)."""
                if server.started and not listening(watch):
                    lost.append(True)
                    server.should_exit = True
                return bool(lost)

            announce(lambda: listening(watch), serving, given_up=port_lost)
            try:
                server.run(sockets=[sock])
            finally:
                watch.close()
            if lost:
                port_taken(OSError(f"cannot listen on {host}:{port}: another server started listening there first"), port)
