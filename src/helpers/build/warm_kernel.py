"""Pre-warmed Jupyter kernels for the build: fork a kernel instead of starting one.

Every chapter runs in a fresh kernel (a clean namespace). Starting one costs about a second of CPU
(Python, IPython, ipykernel) and the chapter's first cell about another (pandas, altair, pandera,
the helpers). On a 2-core machine that is a third of a cold build. So each build worker starts one
*zygote*: a process that imports all of that once, listens on a socket, and forks a kernel process
per chapter. The child is an ordinary ipykernel (own namespace, own ZeroMQ sockets, own process)
whose modules happen to be imported already; module state after import is the same as in a new
process, and the random module is reseeded by Python at fork.

How jupyter_client reaches it: the build puts a kernelspec named ``python3`` first on
``JUPYTER_PATH`` whose command is ``python -m helpers.build.warm_kernel launch -f {connection_file}``.
That *launcher* is what jupyter_client starts, signals and waits for: it asks the zygote for a
kernel, forwards signals to it (interrupts), and exits with the kernel's exit status. If the
launcher dies (killed), the zygote kills its kernel; if the zygote dies, its kernels die with it
(Linux parent-death signal); if the worker dies, so does the zygote. Without a zygote (outside the
build, other systems, or ``REPORT_WARM_KERNELS=0``) the launcher simply becomes a normal kernel.

Only the build uses this. nbval and an author's Jupyter use the ordinary kernel; since the committed
notebooks come from the build, nbval checks on every test run that both give the same outputs.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import socket
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the launcher stays light: subprocess is imported where a zygote is started
    import subprocess

SOCKET_ENV = "REPORT_KERNEL_ZYGOTE"  # abstract socket name of this worker's zygote
SWITCH_ENV = "REPORT_WARM_KERNELS"  # "0" turns warm kernels off
KERNEL_NAME = "python3"  # same name as the usual kernel: notebooks' metadata do not change

# Imported once per worker. Third-party modules every chapter needs and the helpers every chapter
# page uses; not the topic modules (each chapter imports its own) and not statsmodels (two chapters).
PRELOAD = ("IPython", "ipykernel.kernelapp", "ipykernel.ipkernel", "numpy", "pandas", "altair",
           "pandera.pandas", "helpers.book.page", "helpers.book.charts", "helpers.data.datastore", "helpers.claims.core",
           "helpers.text")

READY_TIMEOUT_S = 30  # a zygote not listening by then is given up (ordinary kernels instead)
_PR_SET_PDEATHSIG = 1
_START_CWD = ""


def available() -> bool:
    """Warm kernels need fork and Linux abstract sockets; they can be switched off."""
    return sys.platform.startswith("linux") and os.environ.get(SWITCH_ENV, "1") != "0"


def _die_with_parent(sig: int = signal.SIGKILL) -> None:
    """Ask Linux to send ``sig`` to this process when its parent exits (no orphans)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass


def _readline(conn: socket.socket, limit: int = 1 << 22) -> bytes:
    buf = bytearray()
    while not buf.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            break
        buf += chunk
        if len(buf) > limit:
            raise ValueError("request too long")
    return bytes(buf)


# --------------------------------------------------------------------------- the kernelspec


def kernelspec(folder) -> str:
    """Write the warm kernelspec under ``folder/kernels/python3`` (atomically); return the folder to
    put first on JUPYTER_PATH."""
    from pathlib import Path

    target = Path(folder) / "kernels" / KERNEL_NAME
    target.mkdir(parents=True, exist_ok=True)
    spec = {"argv": [sys.executable, "-m", "helpers.build.warm_kernel", "launch", "-f", "{connection_file}"],
            "display_name": "Python 3 (ipykernel, forked by the report build)", "language": "python",
            "interrupt_mode": "signal", "metadata": {"debugger": False}}
    text = json.dumps(spec, indent=1) + "\n"
    path = target / "kernel.json"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        tmp = target / f"kernel.json.tmp-{os.getpid()}"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    return str(Path(folder))


# --------------------------------------------------------------------------- the zygote (one per worker)


def start_zygote() -> tuple[subprocess.Popen, str] | None:
    """Start this process's zygote; return (Popen, socket name), or None when not available.

    Returns once the zygote listens (it binds its socket before importing anything heavy, so a kernel
    asked for early waits in the backlog instead of finding no socket); None if it did not get there."""
    if not available():
        return None
    import select
    import subprocess
    import uuid

    from helpers.data.paths import env_importing_helpers

    name = f"report-kernel-zygote-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    ready_r, ready_w = os.pipe()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "helpers.build.warm_kernel", "serve", name, str(ready_w)],
                                env=env_importing_helpers(), stdin=subprocess.DEVNULL, pass_fds=(ready_w,))
    finally:
        os.close(ready_w)
    try:
        readable, _, _ = select.select([ready_r], [], [], READY_TIMEOUT_S)
        ready = bool(readable) and os.read(ready_r, 1) == b"1"
    finally:
        os.close(ready_r)
    if not ready:  # ordinary kernels then (the launcher finds no socket name)
        proc.kill()
        proc.wait()
        return None
    return proc, name


def serve(name: str, ready_fd: int | None = None) -> int:
    """Zygote main loop: fork a kernel for every launcher that connects; report its exit status.
    ``ready_fd``: a pipe to write b"1" to once the socket listens (then closed)."""
    import select

    global _START_CWD
    _START_CWD = os.getcwd()
    parent = os.getppid()
    _die_with_parent(signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above
        return 0
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the build coordinates the stop, as for its workers
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind("\0" + name)
    server.listen(16)
    if ready_fd is not None:
        os.write(ready_fd, b"1")
        os.close(ready_fd)
    for module in PRELOAD:
        importlib.import_module(module)
    clients: dict[int, socket.socket] = {}  # kernel pid -> its launcher's connection
    try:
        while os.getppid() == parent:
            ready, _, _ = select.select([server, *clients.values()], [], [], 0.2)
            for sock in ready:
                if sock is server:
                    conn, _ = server.accept()
                    try:
                        request = json.loads(_readline(conn))
                    except (OSError, ValueError):
                        conn.close()
                        continue
                    pid = os.fork()
                    if pid == 0:
                        server.close()
                        for c in [conn, *clients.values()]:
                            c.close()
                        _become_kernel(request)  # never returns
                    clients[pid] = conn
                    conn.sendall(f"{pid}\n".encode())
                else:
                    try:
                        gone = sock.recv(1) == b""
                    except OSError:
                        gone = True
                    if gone:  # the launcher is gone (killed): its kernel must not outlive it
                        pid = next(p for p, c in clients.items() if c is sock)
                        _signal(pid, signal.SIGKILL)
                        clients.pop(pid).close()
            _reap(clients)
    finally:
        for pid in list(clients):
            _signal(pid, signal.SIGKILL)
        _reap(clients)
        server.close()
    return 0


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _reap(clients: dict[int, socket.socket]) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        conn = clients.pop(pid, None)
        if conn is not None:
            try:
                conn.sendall(f"{os.waitstatus_to_exitcode(status)}\n".encode())
            except OSError:
                pass
            conn.close()


def _become_kernel(request: dict) -> None:
    """In the forked child: take the launcher's working directory and environment, run ipykernel."""
    code = 1
    try:
        _die_with_parent(signal.SIGKILL)
        os.setsid()  # its own session, as jupyter_client starts kernels: Ctrl-C in a terminal does not reach it
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.chdir(request["cwd"])
        if sys.path and sys.path[0] == _START_CWD:  # as `python -m ipykernel_launcher` started there would have it
            sys.path[0] = request["cwd"]
        os.environ.clear()
        os.environ.update(request["env"])
        argv = [str(a) for a in request["argv"]]
        parent = os.environ.get("JPY_PARENT_PID")
        if parent and parent.isdigit():  # ipykernel read it at import, in the zygote: give it explicitly
            argv.append(f"--IPKernelApp.parent_handle={parent}")
        sys.argv = ["ipykernel_launcher", *argv]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance(argv=argv)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - report, then exit: never return into the zygote's loop
        import traceback

        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001
                pass
        os._exit(code)


# --------------------------------------------------------------------------- the launcher (what jupyter_client starts)


def launch(argv: list[str]) -> int:
    """Get a kernel from this worker's zygote and stand in for it; without one, become a normal kernel."""
    name = os.environ.get(SOCKET_ENV)
    conn = pid = None
    if name and available():
        try:
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            conn.connect("\0" + name)
            conn.sendall((json.dumps({"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ)}) + "\n").encode())
            pid = int(_readline(conn))
        except (OSError, ValueError):
            conn = pid = None
    if conn is None or pid is None:
        os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *argv])

    def forward(signum, frame):  # noqa: ARG001 - jupyter_client interrupts and stops "the kernel": us
        _signal(pid, signum)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(sig, forward)
    line = _readline(conn).strip()  # the kernel's exit status, sent by the zygote when it ends
    try:
        return int(line)
    except ValueError:  # the zygote is gone (and with it the kernel)
        return 1


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["serve"] and len(args) in (2, 3):
        return serve(args[1], int(args[2]) if len(args) == 3 else None)
    if args[:1] == ["launch"]:
        return launch(args[1:])
    print("usage: python -m helpers.build.warm_kernel serve NAME | launch -f CONNECTION_FILE", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
