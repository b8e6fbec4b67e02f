"""Report kernels forked from a warm template, so each report pays neither interpreter start nor imports.

A fresh kernel per report keeps reports independent, but every kernel started a Python interpreter and
imported IPython, pandas, SciPy, statsmodels and matplotlib again: about 2 s of a report's 4-5 s. When a
build runs more reports than it has workers, it starts one template process that has imported those
libraries and nothing else, and its kernel manager (`TemplateKernelManager`, given to papermill) forks
the template for each report: the child becomes an ordinary IPython kernel (its own session, the
kernel's command-line arguments, environment and working directory) with no user code run, as fresh as
a newly started one. (For a report or two per worker the template's 3 s of imports would not pay off:
those kernels are launched as usual.)

The template imports no module that looks for a running IPython shell when imported (matplotlib.pyplot,
matplotlib_inline, the project's chart styles): those still load in the kernel, after IPython is up, as
they would in any kernel. It sets the same MPLBACKEND ipykernel sets before matplotlib is imported.

`make reports` starts the template itself, before `make data` (`python -m analysis.publish.kernels listen`, on a
Unix socket named by KERNEL_TEMPLATE_SOCKET): it imports on the second core while the first validates the data and
hashes the reports' inputs, so a build's workers find it warm, and the build processes of both batches (and a single
report's rule) share it (`SharedTemplate`). Without it (a build run by hand, the tests), a build starts its own.

Every build kernel, forked or launched, listens on Unix socket files (`BuildKernelManager`), not TCP ports.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from pathlib import Path
from typing import Any

from jupyter_client.connect import ConnectionFileMixin
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager, KernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import default

# What every report's kernel imports before its first cell finishes; none of them looks for IPython.
WARM_MODULES = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "IPython.core.interactiveshell",
    "numpy",
    "pandas",
    "pyarrow",
    "pyarrow.parquet",
    "scipy.optimize",
    "scipy.stats",
    "statsmodels.genmod.generalized_linear_model",
    "statsmodels.stats.proportion",
    "statsmodels.duration.hazard_regression",
    "statsmodels.duration.survfunc",
    "statsmodels.tsa.seasonal",
    "statsmodels.tsa.exponential_smoothing.ets",
    "matplotlib",
    "matplotlib.figure",
    "matplotlib.colors",
    "pandera.pandas",
    "yaml",
    "babel.numbers",
    "babel.dates",
    "fontTools.ttLib",
)
# The backend ipykernel selects for matplotlib (it sets this only when unset, before any import of matplotlib).
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


class ForkedKernel:
    """The kernel process as the provisioner sees it (a Popen-like handle on a child of the template)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:  # exited and reaped by the template (its exit status is not kept)
                self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class KernelTemplate:
    """The warm template process: started by the build before it forks its workers, which share it (or
    by a process's first report kernel), and stopped when every process holding it has exited."""

    _instance: KernelTemplate | None = None

    def __init__(self, interpreter: list[str]) -> None:
        reply_read, reply_write = os.pipe()
        self.process = subprocess.Popen(
            [*interpreter, "-m", "analysis.publish.kernels", str(reply_write)],
            stdin=subprocess.PIPE,
            pass_fds=(reply_write,),
            text=True,
        )
        os.close(reply_write)
        self.replies = os.fdopen(reply_read, "r")
        self.lock = multiprocessing.get_context("fork").Lock()  # workers take turns: a request, its reply
        self.starter = os.getpid()

    @classmethod
    def for_command(cls, interpreter: list[str]) -> KernelTemplate | SharedTemplate:
        if cls._instance is None or not cls._instance.alive():
            cls._instance = SharedTemplate.connect(interpreter) or cls(interpreter)
        return cls._instance

    @classmethod
    def shared(cls, interpreter: list[str]) -> bool:
        """Whether this process's kernels for `interpreter` fork from the template `make reports` started (connected
        to it now if so; no template is started if not)."""
        if cls._instance is None or not cls._instance.alive():
            cls._instance = SharedTemplate.connect(interpreter)
        return isinstance(cls._instance, SharedTemplate)

    @classmethod
    def stop(cls) -> None:
        """In the process that started it: end the template (its stdin closed) and wait for it, so it is reaped by
        the build and its CPU time, and its kernels', counts as the build's (time, getrusage, make bench-loop)."""
        template = cls._instance
        if template is None or os.getpid() != template.starter:
            return
        cls._instance = None
        if isinstance(template, SharedTemplate):  # it serves the build's next process; make reports ends it
            template.channel.close()
            return
        template.process.stdin.close()
        try:
            template.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            template.process.kill()
            template.process.wait()
        template.replies.close()

    def alive(self) -> bool:
        if os.getpid() == self.starter:
            return self.process.poll() is None
        # A build worker shares the template its build started: not the worker's child, so poll() (waitpid)
        # would call it exited, and every worker would start and import a template of its own.
        try:
            os.kill(self.process.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def fork(self, kernel_args: list[str], env: dict[str, str], cwd: str) -> int:
        """A new kernel process, running with `kernel_args`, `env` and `cwd`: its pid."""
        with self.lock:
            try:
                self.process.stdin.write(json.dumps(kernel_request(kernel_args, env, cwd)) + "\n")
                self.process.stdin.flush()
            except BrokenPipeError:
                reply = ""
            else:
                reply = self.replies.readline()
        if not reply:
            raise RuntimeError(f"the kernel template (pid {self.process.pid}) has exited")
        return int(reply)


def kernel_request(kernel_args: list[str], env: dict[str, str], cwd: str) -> dict[str, Any]:
    """What the template forks a kernel from: its arguments, environment and directory, and the niceness of the
    process asking (a batch run at a lower priority runs its kernels at that priority too, not at the template's)."""
    return {"args": kernel_args, "env": env, "cwd": cwd, "nice": os.nice(0)}


class SharedTemplate:
    """The template `make reports` started before the build (listen), reached over its Unix socket: the same requests
    and replies as a template of the process's own, one line each, on one connection the workers share (in turns)."""

    def __init__(self, channel: socket.socket) -> None:
        self.channel = channel
        self.stream = channel.makefile("rw", encoding="utf-8")
        self.lock = multiprocessing.get_context("fork").Lock()
        self.starter = os.getpid()
        self.broken = False

    @classmethod
    def connect(cls, interpreter: list[str], variable: str | None = None) -> SharedTemplate | None:
        """The shared template for `interpreter`, or None if make (or, with `variable`, the test session: conftest.py)
        started none for it (or it has exited)."""
        where = os.environ.get(variable or SOCKET_VARIABLE)
        if not where:
            return None
        channel = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            channel.connect(socket_path(where, interpreter))
        except OSError:  # none for this interpreter (its name says which it forks), or a stale socket file
            channel.close()
            return None
        return cls(channel)

    def alive(self) -> bool:
        return not self.broken

    def fork(self, kernel_args: list[str], env: dict[str, str], cwd: str) -> int:
        with self.lock:
            try:
                self.stream.write(json.dumps(kernel_request(kernel_args, env, cwd)) + "\n")
                self.stream.flush()
                reply = self.stream.readline()
            except OSError:
                reply = ""
        if not reply:
            self.broken = True
            raise RuntimeError(f"the shared kernel template ({os.environ.get(SOCKET_VARIABLE)}) has exited")
        return int(reply)


# Where `make reports` asks its template to listen; the socket's name ends with a hash of the interpreter and flags
# the template runs (the kernel spec's), so a build for another interpreter never reaches it.
SOCKET_VARIABLE = "KERNEL_TEMPLATE_SOCKET"


def socket_path(where: str, interpreter: list[str]) -> str:
    return f"{where}.{hashlib.sha256(json.dumps(interpreter).encode()).hexdigest()[:12]}"


def start_template(kernel_name: str) -> None:
    """Start the template for `kernel_name`'s interpreter now (a build does, before forking its workers), or reach
    the one `make reports` started."""
    KernelTemplate.for_command(spec_interpreter(kernel_name))


def spec_interpreter(kernel_name: str) -> list[str]:
    argv = KernelSpecManager().get_kernel_spec(kernel_name).argv
    return argv[: argv.index("-m")]


def shared_template(kernel_name: str) -> bool:
    """Whether `make reports` started a template this process can fork its kernels from."""
    return KernelTemplate.shared(spec_interpreter(kernel_name))


class TemplateProvisioner(LocalProvisioner):
    """Launches the kernel by forking the worker's template instead of starting an interpreter."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        module = cmd.index("-m")  # cmd: interpreter and its flags, -m ipykernel_launcher, the kernel's arguments
        return self.forked(KernelTemplate.for_command(cmd[:module]), cmd, **kwargs)

    def forked(self, template: KernelTemplate | SharedTemplate, cmd: list[str], **kwargs: Any) -> Any:
        module = cmd.index("-m")
        # As jupyter_client's launcher does: the kernel's environment names the process that launched it.
        env = {**(kwargs.get("env") or os.environ), "JPY_PARENT_PID": str(os.getpid())}
        self.process = ForkedKernel(template.fork(cmd[module + 2 :], env, str(kwargs.get("cwd") or os.getcwd())))
        self.pid = self.pgid = self.process.pid  # the kernel leads its own session, as a launched one does
        self.cwd = kwargs.get("cwd")
        return self.connection_info


# Where the test session's template listens (tests/conftest.py starts it when the session runs notebooks): a variable
# of its own, so no build a test starts (nor a test of the template) reaches it in place of its own.
NOTEBOOK_SOCKET_VARIABLE = "NOTEBOOK_TEMPLATE_SOCKET"


class NotebookTemplateProvisioner(TemplateProvisioner):
    """nbval's: forks the test session's template (one for every xdist worker), or launches the kernel as usual when
    there is none (a notebook tested alone, or the template not listening yet)."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        template = SharedTemplate.connect(cmd[: cmd.index("-m")], NOTEBOOK_SOCKET_VARIABLE)
        if template is None:
            return await super(TemplateProvisioner, self).launch_kernel(cmd, **kwargs)
        try:  # one connection a kernel: the template serves each in turn
            return self.forked(template, cmd, **kwargs)
        finally:
            template.channel.close()


class UnixSocketKernels(ConnectionFileMixin):
    """Kernels that talk to their manager over Unix socket files, not TCP ports (mixed into a kernel manager).

    Over TCP, the manager picks five ports that are free at that moment and the kernel binds them a
    moment later; with many kernels starting at once (parallel builds, the test suite) another process
    can take one in between, and the kernel dies ('Kernel died before replying to kernel_info'; `make
    bench-kernel-starts` counts it). Socket files named for the kernel cannot be taken by anyone else.
    """

    @default("transport")
    def _default_transport(self) -> str:
        return "ipc"

    @default("ip")
    def _default_ip(self) -> str:
        # The prefix of the kernel's socket files (<ip>-1 .. <ip>-5), removed when the kernel is shut
        # down; short, because a Unix socket's path holds at most 107 bytes.
        return os.path.join(tempfile.gettempdir(), f"kernel-{uuid.uuid4().hex[:16]}")


class BuildKernelManager(UnixSocketKernels, AsyncKernelManager):
    """papermill's kernel manager for report builds: launched kernels, over Unix sockets."""


class NotebookTestKernelManager(UnixSocketKernels, KernelManager):
    """nbval's kernel manager in the test suite (tests/conftest.py): its kernels too, over Unix sockets, forked from
    the session's warm template as a build's are (each notebook's kernel started cold cost about 2 core-s of imports)."""

    async def _async_pre_start_kernel(self, **kw: Any) -> Any:
        if self.provisioner is None and os.environ.get(NOTEBOOK_SOCKET_VARIABLE):
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))  # as jupyter_client's would be
            self.provisioner = NotebookTemplateProvisioner(
                kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
            )
        return await super()._async_pre_start_kernel(**kw)


class TemplateKernelManager(BuildKernelManager):
    """The build's kernel manager when the worker's kernels come from the template, over Unix sockets."""

    async def _async_pre_start_kernel(self, **kw: Any) -> Any:
        if self.provisioner is None:
            self.provisioner = TemplateProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)


def become_kernel(request: dict[str, Any], reply_fd: int | list[int]) -> None:
    """In the forked child: take the request's session, streams, directory and environment, run the kernel."""
    for fd in reply_fd if isinstance(reply_fd, list) else [reply_fd]:  # the template's own: not the kernel's
        os.close(fd)
    os.setsid()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.chdir(request["cwd"])
    if (lower := int(request.get("nice", 0)) - os.nice(0)) > 0:  # the asking process's priority (a kernel's can
        os.nice(lower)  # only go down: an unprivileged process cannot raise its own)
    os.environ.clear()
    os.environ.update(request["env"])
    from ipykernel import kernelapp

    # ipykernel read JPY_PARENT_PID when the template imported it; the kernel watches its real parent,
    # the template, which exits with the build worker (a launched kernel watches the worker itself).
    args = [*request["args"], f"--IPKernelApp.parent_handle={os.getppid()}"]
    status = 0
    try:
        kernelapp.IPKernelApp.launch_instance(argv=args)
    except SystemExit as stop:
        status = stop.code if isinstance(stop.code, int) else 1
    except BaseException:  # a launched kernel would print why it died; os._exit below would hide it
        traceback.print_exc()
        status = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


def reap_kernels(*_: Any) -> None:
    """The template's SIGCHLD handler: wait for every kernel that has exited, as it exits.

    Waited for, not reaped by an ignored SIGCHLD (as before): Linux adds a child's CPU time to its parent's
    RUSAGE_CHILDREN only when the parent waits for it, so the kernels' time vanished from the build's core-seconds
    (time, getrusage, `make bench-loop`), which counted a report's bookkeeping and not its kernel, most of its work.
    The template's own parent (make's recipe, or the build process) waits for the template in turn.
    """
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def serve(reply_fd: int) -> None:
    """The template: import, then fork a kernel for every request line until the worker closes stdin."""
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    del sys.path[0]  # the working directory, as ipykernel_launcher removes it (IPython adds the kernel's own back)
    import importlib

    for module in WARM_MODULES:
        importlib.import_module(module)
    signal.signal(signal.SIGCHLD, reap_kernels)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            become_kernel(request, reply_fd)
        os.write(reply_fd, f"{pid}\n".encode())


def listen(where: str, interpreter: list[str]) -> None:
    """The template `make reports` starts (python -m analysis.publish template, which runs this on the kernel spec's
    `interpreter`): listening on its socket at once, importing, then forking a kernel for each request line of any
    build process connected, until it is terminated (make does, when the build ends) or the make that started it has
    gone."""
    path = socket_path(where, interpreter)
    if len(path.encode()) > 100:
        return  # longer than a Unix socket's path may be: builds start their own
    starter = os.getppid()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    Path(path).unlink(missing_ok=True)
    listener.bind(path)
    listener.listen(8)

    def remove(*_: Any) -> None:
        Path(path).unlink(missing_ok=True)
        os._exit(0)

    signal.signal(signal.SIGTERM, remove)
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    del sys.path[0]
    import importlib

    for module in WARM_MODULES:
        importlib.import_module(module)
    signal.signal(signal.SIGCHLD, reap_kernels)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    streams: dict[socket.socket, Any] = {}
    while os.getppid() == starter:
        for key, _ in selector.select(timeout=1):
            if key.fileobj is listener:
                channel, _ = listener.accept()
                streams[channel] = channel.makefile("rw", encoding="utf-8")
                selector.register(channel, selectors.EVENT_READ)
                continue
            channel = key.fileobj
            line = streams[channel].readline()
            if not line:  # the build process let go
                selector.unregister(channel)
                streams.pop(channel).close()
                channel.close()
                continue
            request = json.loads(line)
            pid = os.fork()
            if pid == 0:
                selector.close()
                become_kernel(request, [listener.fileno(), *(c.fileno() for c in streams)])
            streams[channel].write(f"{pid}\n")
            streams[channel].flush()
    remove()


if __name__ == "__main__":
    match sys.argv[1:]:
        case ["listen", where, interpreter]:
            listen(where, json.loads(interpreter))
        case [reply_fd]:
            serve(int(reply_fd))
