"""Several uvicorn workers, each with its own ``SO_REUSEPORT`` listening socket (Linux).

uvicorn's own multi-worker mode shares one listening socket between the workers, and each
worker's event loop accepts every pending connection when it wakes up. A burst of new
keep-alive connections (a load balancer's pool, 50 clients starting at once) then lands
mostly on one worker: measured with 50 clients on 4 workers, one worker held 38 connections
and another 1, so one process (one GIL, one core) did most of the work while the others idled.

With one ``SO_REUSEPORT`` socket per worker the kernel spreads new connections over the
workers by a hash of the client address and port. Supervision (restarts of a dead or hung
worker, SIGHUP reload, shutdown) is uvicorn's ``Multiprocess``; the only change is that
worker *i*, and any replacement of it, gets socket *i*.
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


def bind_reuseport_sockets(host: str, port: int, n: int) -> list[socket.socket]:
    """``n`` sockets bound to ``host:port`` in one reuseport group.

    A plain bind first: it fails if anyone already listens there, so a second server on the
    same port fails loudly instead of silently sharing its traffic through the group.
    """
    probe = socket.socket(_family(host), socket.SOCK_STREAM)
    try:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
    except OSError as exc:
        logger.error(exc)
        sys.exit(STARTUP_FAILURE)
    finally:
        probe.close()
    socks = []
    for _ in range(n):
        s = socket.socket(_family(host), socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            logger.error(exc)
            sys.exit(STARTUP_FAILURE)
        s.set_inheritable(True)
        socks.append(s)
    return socks


class ReusePortMultiprocess(Multiprocess):
    """uvicorn's supervisor, with socket *i* always given to worker slot *i*."""

    def __init__(self, config: Config, sockets: list[socket.socket]):
        super().__init__(config, sockets=[])
        self.worker_sockets = sockets
        self.processes_num = len(sockets)

    def _spawn(self, idx: int) -> Process:
        process = Process(self.config, [self.worker_sockets[idx]])
        process.start()
        return process

    def init_processes(self) -> None:
        for idx in range(self.processes_num):
            self.processes.append(self._spawn(idx))

    def restart_all(self) -> None:
        """Replace each worker, bringing the new one into service before retiring the old one."""
        for idx, old in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            new = self._spawn(idx)
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
            logger.info(f"Child process [{process.pid}] died")
            self.processes[idx] = self._spawn(idx)


def run(app: str, *, host: str, port: int, workers: int, **kwargs) -> None:
    """Like ``uvicorn.run(app, factory=..., workers=N)``, with one reuseport socket per worker."""
    config = Config(app, host=host, port=port, workers=workers, **kwargs)
    socks = bind_reuseport_sockets(host, port, workers)
    logger.info(f"Uvicorn running on http://{host}:{port} ({workers} workers, one SO_REUSEPORT socket each)")
    try:
        ReusePortMultiprocess(config, socks).run()
    except KeyboardInterrupt:  # pragma: no cover
        pass
    finally:
        for s in socks:
            s.close()
