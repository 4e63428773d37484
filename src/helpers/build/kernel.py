"""The kernels of the build: fresh ipykernel processes, reached over an abstract IPC socket.

* IPC transport on a Linux abstract socket: no TCP port to pick, so no port race with other programs
  (jupyter_client's port choice over TCP clashed about once in 30 runs), no "running over TCP without
  encryption" warning, and no socket file to leave behind.
* Each kernel dies with the worker that started it (``prctl(PR_SET_PDEATHSIG)``), even on ``kill -9``.
* Its connection file lives in the chapter's temporary folder (``REPORT_KERNEL_DIR``), removed with it.
* No SIGINT before a shutdown: jupyter_client interrupts every kernel it shuts down, which made ipykernel
  log "KeyboardInterrupt caught in kernel" after every successful chapter. A kernel still busy (a chapter
  stopped by its time limit or by the user) is killed after jupyter_client's shutdown wait instead.
"""

from __future__ import annotations

import os
import tempfile
import uuid

from jupyter_client.manager import AsyncKernelManager

from helpers.build import procs

KERNEL_DIR_ENV = "REPORT_KERNEL_DIR"


class BuildKernelManager(AsyncKernelManager):
    def __init__(self, *args, **kwargs):
        name = uuid.uuid4().hex[:16]
        kwargs.setdefault("transport", "ipc")
        kwargs.setdefault("ip", f"@report-kernel-{name}")  # '@': Linux abstract socket, no file
        folder = os.environ.get(KERNEL_DIR_ENV) or tempfile.gettempdir()
        kwargs.setdefault("connection_file", os.path.join(folder, f"kernel-{name}.json"))
        super().__init__(*args, **kwargs)

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        kw["preexec_fn"] = procs.child_of_this_process()
        return await super()._async_launch_kernel(kernel_cmd, **kw)

    async def _async_interrupt_kernel(self) -> None:
        if self.shutting_down:
            return
        await super()._async_interrupt_kernel()
