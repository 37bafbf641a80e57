"""Several uvicorn workers, each with its own ``SO_REUSEPORT`` listening socket (Linux).

uvicorn's own multi-worker mode shares one listening socket between the workers, and each
worker's event loop accepts every pending connection when it wakes up. A burst of new
keep-alive connections (a load balancer's pool, 50 clients starting at once) then lands
mostly on one worker: measured with 50 clients on 4 workers, one worker held 38 connections
and another 1, so one process (one GIL, one core) did most of the work while the others idled.

With one ``SO_REUSEPORT`` socket per worker the kernel spreads new connections over the
workers by a hash of the client address and port. Supervision (restarts of a dead or hung
worker, SIGHUP reload, shutdown) is uvicorn's ``Multiprocess``.

Each worker gets a **new** socket, bound here but not listening, and this process keeps no
copy of it. The worker listens only once it has warmed up (uvicorn listens after the app's
start-up), so the kernel never routes a connection to a worker that cannot accept it yet; and
when a worker dies its socket dies with it, so no connection waits in the backlog of a dead
worker (with a shared or kept socket, 17 of 65 new connections hung for ~11 s after a SIGKILL).
"""
from __future__ import annotations

import logging
import socket
import sys

from uvicorn.config import STARTUP_FAILURE, Config
from uvicorn.supervisors.multiprocess import Multiprocess, Process

logger = logging.getLogger("uvicorn.error")


def reuseport_available(host: str) -> bool:
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT") and not host.startswith("unix:")


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


class PortTaken(OSError):
    """Someone already listens on the address: the message says which and suggests ``--port``."""


def bind_port(host: str, port: int) -> socket.socket:
    """A plain socket bound to ``host:port`` (not listening), or :class:`PortTaken`. Not in a
    reuseport group, so a second server fails loudly instead of silently sharing the traffic.
    One worker serves on it (bound before start-up, so no other server can take the port while
    this one warms up); with several, it is closed at once (a check) and each worker gets its own."""
    sock = socket.socket(_family(host), socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise PortTaken(exc.errno, f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.set_inheritable(True)
    return sock


def reuseport_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` in the reuseport group, not yet listening."""
    s = socket.socket(_family(host), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    s.bind((host, port))
    s.set_inheritable(True)
    return s


class ReusePortMultiprocess(Multiprocess):
    """uvicorn's supervisor, each worker (and each replacement) with a fresh socket of its own."""

    def __init__(self, config: Config, host: str, port: int):
        super().__init__(config, sockets=[])
        self.host, self.port = host, port

    def _spawn(self) -> Process:
        try:
            sock = reuseport_socket(self.host, self.port)
        except OSError as exc:  # another server took the port meanwhile
            raise PortTaken(exc.errno, f"cannot listen on {self.host}:{self.port}: {exc.strerror}") from None
        try:
            process = Process(self.config, [sock])
            process.start()  # the worker has its own duplicate of the socket now
        finally:
            sock.close()  # so the socket lives and dies with the worker
        return process

    def init_processes(self) -> None:
        for _ in range(self.processes_num):
            self.processes.append(self._spawn())

    def restart_all(self) -> None:
        """Replace each worker, bringing the new one into service before retiring the old one."""
        for idx, old in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            new = self._spawn()
            if not new.wait_until_ready(self.config.timeout_worker_healthcheck, self.should_exit):
                new.kill()
                new.join()
                if not self.should_exit.is_set():
                    logger.error(f"New child process [{new.pid}] was not ready in time; "
                                 f"keeping worker [{old.pid}] and aborting the restart.")
                return
            old.terminate()
            old.join()
            self.processes[idx] = new

    def keep_subprocess_alive(self) -> None:
        if self.should_exit.is_set():
            return
        for idx, process in enumerate(self.processes):
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()
            process.join()
            if process.exitcode == STARTUP_FAILURE:
                logger.error(f"Child process [{process.pid}] failed to start, stopping the parent process.")
                self.should_exit.set()
                return
            if self.should_exit.is_set():
                return
            logger.warning(f"Worker [{process.pid}] died (exit code {process.exitcode}); starting a new one")
            self.processes[idx] = self._spawn()

    def handle_ttin(self) -> None:
        self.processes_num += 1
        self.processes.append(self._spawn())


def run(app: str, *, host: str, port: int, workers: int, **kwargs) -> None:
    """Like ``uvicorn.run(app, factory=..., workers=N)``, with one reuseport socket per worker."""
    config = Config(app, host=host, port=port, workers=workers, **kwargs)
    bind_port(host, port).close()
    logger.info(f"Uvicorn running on http://{host}:{port} ({workers} workers, one SO_REUSEPORT socket each)")
    try:
        ReusePortMultiprocess(config, host, port).run()
    except KeyboardInterrupt:  # pragma: no cover
        pass
