"""Warm kernels (helpers.build.warm_kernel): a forked kernel behaves like a started one, and none outlives
the process that asked for it."""

from __future__ import annotations

import json
import os
import signal
import socket
import time
from pathlib import Path

import psutil
import pytest

from helpers.build import warm_kernel

pytestmark = pytest.mark.skipif(not warm_kernel.available(), reason="warm kernels need Linux")

@pytest.fixture
def zygote(tmp_path, monkeypatch):
    monkeypatch.delenv(warm_kernel.SOCKET_ENV, raising=False)
    proc, name = warm_kernel.start_zygote()
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.connect("\0" + name)  # listening as soon as start_zygote returns: no race with the first kernel
    probe.close()
    monkeypatch.setenv(warm_kernel.SOCKET_ENV, name)
    monkeypatch.setenv("JUPYTER_PATH", warm_kernel.kernelspec(tmp_path / "jupyter"))
    yield proc
    proc.kill()
    proc.wait(timeout=10)


def _run(kc, code: str) -> dict:
    out = []

    def hook(msg):
        if msg["msg_type"] == "stream":
            out.append(msg["content"]["text"])

    reply = kc.execute_interactive(code, timeout=60, output_hook=hook)
    return {"status": reply["content"]["status"], "ename": reply["content"].get("ename"), "out": "".join(out)}


def _start(tmp_path):
    from jupyter_client import KernelManager

    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(tmp_path))
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return km, kc


PROBE = ("import os, sys, json; print(json.dumps({'cwd': os.getcwd(), 'mark': os.environ.get('WARM_MARK'), "
         "'pid': os.getpid(), 'ppid': os.getppid(), 'pandas': 'pandas' in sys.modules, "
         "'user_vars': sorted(k for k in globals() if not k.startswith('_') and k not in ('In', 'Out', "
         "'get_ipython', 'exit', 'quit', 'open'))}))")


def test_forked_kernel_runs_code_in_the_launchers_folder_and_environment(zygote, tmp_path, monkeypatch):
    monkeypatch.setenv("WARM_MARK", "set after the zygote started")
    km, kc = _start(tmp_path)
    try:
        first = json.loads(_run(kc, PROBE)["out"])
        assert first["cwd"] == str(tmp_path) and first["mark"] == "set after the zygote started"
        assert first["ppid"] == zygote.pid and first["pandas"]  # forked by the zygote, imports done
        assert first["user_vars"] == ["json", "os", "sys"]  # a clean namespace
        # interrupts reach the kernel through the launcher
        kc.execute("import time; time.sleep(30)")
        time.sleep(1.0)
        t0 = time.monotonic()
        km.interrupt_kernel()
        while True:
            msg = kc.get_shell_msg(timeout=20)
            if msg["msg_type"] == "execute_reply":
                break
        assert msg["content"]["status"] == "error" and msg["content"]["ename"] == "KeyboardInterrupt"
        assert time.monotonic() - t0 < 10
        assert _run(kc, "print(6 * 7)")["out"].strip() == "42"  # still alive after the interrupt
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    assert not psutil.pid_exists(first["pid"]) or psutil.Process(first["pid"]).status() == psutil.STATUS_ZOMBIE
    # a second kernel is a new process with a fresh namespace
    km2, kc2 = _start(tmp_path)
    try:
        second = json.loads(_run(kc2, PROBE)["out"])
        assert second["pid"] != first["pid"] and second["user_vars"] == ["json", "os", "sys"]
    finally:
        kc2.stop_channels()
        km2.shutdown_kernel(now=True)


def test_kernel_dies_with_its_launcher(zygote, tmp_path):
    km, kc = _start(tmp_path)
    try:
        pid = json.loads(_run(kc, PROBE)["out"])["pid"]
        os.kill(km.provisioner.process.pid, signal.SIGKILL)  # the launcher, as a hard kill would do
        deadline = time.monotonic() + 10
        while psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
            assert time.monotonic() < deadline, "the kernel outlived its launcher"
            time.sleep(0.1)
    finally:
        kc.stop_channels()
        km.cleanup_resources()


def test_without_a_zygote_the_launcher_is_an_ordinary_kernel(tmp_path, monkeypatch):
    monkeypatch.delenv(warm_kernel.SOCKET_ENV, raising=False)
    monkeypatch.setenv("JUPYTER_PATH", warm_kernel.kernelspec(tmp_path / "jupyter"))
    km, kc = _start(tmp_path)
    try:
        probe = json.loads(_run(kc, PROBE)["out"])
        assert probe["pid"] == km.provisioner.process.pid  # the launcher exec'd the kernel itself
        assert not probe["pandas"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_kernelspec_is_written_once_and_names_the_launcher(tmp_path):
    folder = Path(warm_kernel.kernelspec(tmp_path))
    spec = json.loads((folder / "kernels" / "python3" / "kernel.json").read_text())
    assert spec["argv"][1:4] == ["-m", "helpers.build.warm_kernel", "launch"] and "{connection_file}" in spec["argv"]
    before = (folder / "kernels" / "python3" / "kernel.json").stat().st_mtime_ns
    warm_kernel.kernelspec(tmp_path)
    assert (folder / "kernels" / "python3" / "kernel.json").stat().st_mtime_ns == before
    assert [p.name for p in (folder / "kernels" / "python3").iterdir()] == ["kernel.json"]
