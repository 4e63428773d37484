"""Processes of the build: none outlives it, whatever stops it; one build at a time per checkout.

* Every child the build starts (workers, kernels, Sphinx, ``jupyter-book config``) asks Linux to kill it
  when its parent ends (``prctl(PR_SET_PDEATHSIG)``): a ``kill -9`` of the build (OOM killer, a hard CI
  kill) takes the workers with it, and each worker's end takes its kernel. Nothing is left holding the
  terminal or a ``| tee`` pipe open.
* A lock on ``_build/.lock`` (``fcntl.flock``, released by the kernel when the holder dies, even by
  ``kill -9``) makes a second build in the same checkout wait for the first, saying so.
* Ctrl-C, SIGTERM and SIGHUP (terminal closed) all stop the build the same way (KeyboardInterrupt in
  the main thread), naming the signal.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

_PR_SET_PDEATHSIG = 1
try:  # loaded once here: a forked child then only calls into it (nothing to load between fork and exec)
    _LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None
except OSError:  # pragma: no cover - not Linux
    _LIBC = None


def die_with_parent(parent: int | None = None) -> None:
    """Have Linux SIGKILL this process when its parent ends. If the parent ``parent`` already ended
    before the request was made (a race at start), exit at once."""
    if _LIBC is not None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def child_of_this_process() -> Callable[[], None]:
    """``preexec_fn`` for a subprocess that must die with the process starting it."""
    me = os.getpid()
    return lambda: die_with_parent(me)


# --------------------------------------------------------------------------- signals

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_received: list[str] = []


def _stop(signum, frame):  # noqa: ARG001
    _received.append(signal.Signals(signum).name)
    raise KeyboardInterrupt


def install_stop_handlers() -> None:
    """SIGTERM and SIGHUP stop the build as Ctrl-C does. A SIGINT ignored by whoever started us (a
    background job of a non-interactive shell) stays ignored."""
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _stop)
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, _stop)


def stop_reason() -> str:
    """How the build was stopped: 'Ctrl-C (SIGINT)', 'SIGTERM', 'SIGHUP (terminal closed)'."""
    name = _received[0] if _received else "SIGINT"
    return {"SIGINT": "Ctrl-C (SIGINT)", "SIGHUP": "SIGHUP (terminal closed)"}.get(name, name)


@contextlib.contextmanager
def signals_ignored() -> Iterator[None]:
    """Ignore stop signals while cleaning up after a stop (a second Ctrl-C must not leave a mess)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {s: signal.signal(s, signal.SIG_IGN) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold stop signals back during a few renames that must happen together; deliver them afterwards.

    Python handlers that only take note (a thread's signal mask would not do: the signal may be
    delivered to another thread, and Python runs handlers in the main thread anyway)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    old = {s: signal.signal(s, lambda signum, frame: pending.append(signum)) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)
        if pending:
            signal.raise_signal(pending[0])  # now handled as before (KeyboardInterrupt, or ignored)


# --------------------------------------------------------------------------- one build per checkout


class CannotWrite(Exception):
    """A folder the build must write to is read-only, full or not ours; raised before any work."""


class BuildLock:
    """Exclusive lock of a checkout's build (``_build/.lock``); the file says who holds it."""

    def __init__(self, path: Path):
        self.path = path
        self.fd: int | None = None

    def acquire(self, what: str, log: Callable[[str], None]) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise CannotWrite(
                f"cannot write to {self.path.parent}/ ({exc.strerror}); the build writes its output there"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
            log(f"another build is running in this checkout ({holder}); waiting for it to finish ...")
            t0 = time.monotonic()
            fcntl.flock(fd, fcntl.LOCK_EX)
            log(f"the other build finished after {time.monotonic() - t0:.0f} s; starting")
        self.fd = fd
        note = f"pid {os.getpid()}, {what}, since {time.strftime('%H:%M:%S')}\n".encode()
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, note, 0)
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
                self.release()
                raise CannotWrite(f"cannot write to {self.path.parent}/ ({exc.strerror})") from None
            raise

    def release(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self.fd, 0)
            os.close(self.fd)  # closing releases the flock
            self.fd = None

    def close_in_child(self) -> None:
        """In a forked worker: drop the inherited descriptor (the lock stays the parent's)."""
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = None


def check_writable(folder: Path) -> None:
    """Raise CannotWrite naming ``folder`` if a file cannot be created in it (read-only, full, not ours)."""
    probe = folder / f".write-test-{os.getpid()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(probe, "wb") as fh:
            fh.write(b"x")
        probe.unlink()
    except OSError as exc:
        with contextlib.suppress(OSError):
            probe.unlink()
        raise CannotWrite(f"cannot write to {folder}/ ({exc.strerror})") from None


# --------------------------------------------------------------------------- processes left over


def descendants(pids: list[int]) -> list:
    """psutil processes below ``pids`` (to stop kernels of a stopped worker)."""
    import psutil

    out = []
    for pid in pids:
        try:
            out += psutil.Process(pid).children(recursive=True)
        except psutil.Error:
            pass
    return out


def kill_all(procs: list, timeout: float = 5.0) -> None:
    """SIGKILL psutil processes (stopped ones too) and wait for them."""
    import psutil

    for p in procs:
        with contextlib.suppress(psutil.Error):
            p.kill()
    with contextlib.suppress(psutil.Error):
        psutil.wait_procs(procs, timeout=timeout)
