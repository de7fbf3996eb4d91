"""A pool of worker processes that can be killed mid-task (``kg serve`` runs queries in them).

A query cannot be interrupted inside pyoxigraph or rdflib from another thread, so each runs in a
worker process; one that runs past its time is killed (SIGKILL) and replaced. One that runs
longer than a second is reniced first, so that a few runaway queries cannot starve the short
ones of CPU; its worker is replaced when it finishes (a process cannot raise its priority again).

Workers must hold the loaded graph without loading it again, and a process with threads (the
HTTP server's) cannot fork safely. So the pool, when created (before any server thread starts),
forks one single-threaded *zygote* that holds the data; the zygote forks each worker, at start
and whenever one is replaced, and hands its socket to the pool (``socket.send_fds``). Workers
share the zygote's memory copy-on-write; each may grow by at most ``memory_limit`` bytes of
address space (``RLIMIT_AS``), beyond which its query fails or the worker dies and is replaced.
Zygote and workers ignore Ctrl-C and die with their parent (``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection

OK, TIMEOUT, BUSY, CRASHED = "ok", "timeout", "busy", "crashed"


@dataclass
class Outcome:
    status: str  # OK, TIMEOUT (killed), BUSY (no worker free in time), CRASHED (the worker died)
    value: object = None


class _Worker:
    def __init__(self, pid: int, conn: Connection):
        self.pid, self.conn = pid, conn
        try:
            self._pidfd = os.pidfd_open(pid)  # signals the right process even if the pid is reused
        except (AttributeError, OSError):
            self._pidfd = None

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            if self._pidfd is not None:
                signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)
            else:
                os.kill(self.pid, signal.SIGKILL)
        self.close()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()
        if self._pidfd is not None:
            with contextlib.suppress(OSError):
                os.close(self._pidfd)
            self._pidfd = None


class WorkerPool:
    """``size`` workers that call ``target(job)``; ``run(job, timeout)`` gives an ``Outcome``.

    ``target`` and everything it refers to must exist before the pool is made: the workers see the
    parent's memory as it was then."""

    def __init__(self, target: Callable[[object], object], size: int = 4, memory_limit: int | None = None):
        if size < 1:
            raise ValueError("a pool needs at least one worker")
        self.size = size
        self._spawn_lock = threading.Lock()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        parent_end, zygote_end = socket.socketpair()
        parent_pid = os.getpid()
        pid = os.fork()
        if pid == 0:  # the zygote
            try:
                parent_end.close()
                _zygote(zygote_end, target, memory_limit, parent_pid)
            finally:
                os._exit(0)
        zygote_end.close()
        self._zygote_pid, self._zygote = pid, parent_end
        self.spawned = 0
        for _ in range(size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        with self._spawn_lock:
            self._zygote.sendall(b"s")
            msg, fds, _, _ = socket.recv_fds(self._zygote, 16, 1)
            if not fds or len(msg) < 4:
                raise OSError("the worker pool's zygote is gone")
            self.spawned += 1
            return _Worker(struct.unpack("i", msg[:4])[0], Connection(fds[0]))

    def run(self, job: object, timeout: float, wait: float | None = None, demote_after: float | None = 1.0) -> Outcome:
        """Run ``job`` on a free worker: wait up to ``wait`` (default ``timeout``) seconds for one,
        then up to ``timeout`` seconds for the answer; a worker that takes longer is killed.

        A job still running after ``demote_after`` seconds has its worker reniced (+10), so that
        short jobs on other workers keep the CPU; that worker is replaced once it is done."""
        try:
            worker = self._idle.get(timeout=timeout if wait is None else wait)
        except queue.Empty:
            return Outcome(BUSY)
        healthy = demoted = False
        try:
            worker.conn.send(job)
            first = timeout if demote_after is None else min(demote_after, timeout)
            if not worker.conn.poll(first):
                if first >= timeout:
                    return Outcome(TIMEOUT)
                demoted = True
                with contextlib.suppress(OSError):
                    os.setpriority(os.PRIO_PROCESS, worker.pid, 10)
                if not worker.conn.poll(timeout - first):
                    return Outcome(TIMEOUT)
            value = worker.conn.recv()
            healthy = True
            return Outcome(OK, value)
        except (EOFError, OSError):
            return Outcome(CRASHED)
        finally:
            if healthy and not demoted:
                self._idle.put(worker)
            else:
                worker.kill()
                self._replace()

    def _replace(self) -> None:
        if self._closed:
            return
        try:
            self._idle.put(self._spawn())
        except OSError:
            pass  # the zygote is gone (the process is shutting down): the pool shrinks

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                break
        with contextlib.suppress(OSError):
            self._zygote.close()
        with contextlib.suppress(OSError):
            os.kill(self._zygote_pid, signal.SIGKILL)
        with contextlib.suppress(OSError, ChildProcessError):
            os.waitpid(self._zygote_pid, 0)


# ---------------------------------------------------------------- in the zygote and the workers

def _die_with_parent(parent_pid: int) -> None:
    """Be killed when the parent process ends (Linux), and end now if it already has."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent_pid:
        os._exit(0)


def _zygote(sock: socket.socket, target, memory_limit: int | None, parent_pid: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # workers are reaped as they end
    _die_with_parent(parent_pid)
    me = os.getpid()
    while True:
        try:
            command = sock.recv(1)
        except OSError:
            return
        if not command:
            return  # the pool closed its end
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # a worker
            try:
                sock.close()
                ours.close()
                _work(Connection(theirs.detach()), target, memory_limit, me)
            finally:
                os._exit(0)
        theirs.close()
        try:
            socket.send_fds(sock, [struct.pack("i", pid)], [ours.fileno()])
        except OSError:
            return
        finally:
            ours.close()


def _work(conn: Connection, target, memory_limit: int | None, parent_pid: int) -> None:
    with contextlib.suppress(Exception):
        import faulthandler

        faulthandler.disable()  # a worker that runs out of memory aborts; the pool reports it, not a dump
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    _die_with_parent(parent_pid)
    if memory_limit:
        _limit_memory(memory_limit)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            value = target(job)
        except MemoryError:
            value = MemoryError("out of memory")
        except Exception as e:  # noqa: BLE001 - reported to the caller, the worker goes on
            value = RuntimeError(f"{type(e).__name__}: {e}")
        try:
            conn.send(value)
        except (OSError, MemoryError):
            return


def _limit_memory(extra: int) -> None:
    """Allow this process ``extra`` bytes of address space beyond what it has now."""
    import resource

    with contextlib.suppress(OSError, ValueError):
        with open("/proc/self/statm") as fh:
            size = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = size + extra
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
