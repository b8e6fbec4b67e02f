"""The build's warm interpreter: the Python steps of `make reports` forked from one process that has imported them.

Every Python step of a build (the make rules, the manifests, the SYNTHETIC calibration, the call log's regeneration,
each batch's build, the index) was its own interpreter, which started and imported pandas, pyarrow, papermill and
nbconvert again before doing a fraction of a second's work: on an edited figure's longest chain, the calibration
(about 0.7 s of 0.8), the records batch's start (about 1 s) and the index (0.6 s of 1.2) were mostly imports.
`make reports` starts this server once its data are validated (`python -m analysis.publish.warm serve NAME`). It
imports the make rules' modules at once; the first step that needs more (the calibration, the log's regeneration, a
batch, the index: NEEDS) has them imported before it is forked, and the server then imports the rest, in the order
the chain needs them, while it waits (a build with nothing to rebuild imports nothing more). It forks a child for
each step, which becomes that step: the asking process's working directory, environment, niceness and standard
streams (passed over the socket), its module run as `python -m` would run it (runpy), its exit status returned. The
asking process (`python -m analysis.publish ...`: `hand_over` runs first; `python -m analysis.publish.warm MODULE
...` for the other modules) waits for it, passing on a signal it receives, and ends with its status.

What a step does and writes is the module's, unchanged: the same code on the same inputs, so the same bytes. A
request is refused, and the step runs in its own interpreter as before, when there is no server (a rule run by hand,
`make reports/html/X.html`), when it comes from another tree or interpreter or another user, or when any file of the
package has changed since the server imported it (the child would run the old code).

This module imports only the standard library: the asking side runs it before anything else.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import runpy
import selectors
import signal
import socket
import struct
import sys
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# Set by `make reports` to the server's socket (a Linux abstract socket name: '@' then the name).
SOCKET_VARIABLE = "PUBLISH_WARM_SOCKET"
PACKAGE = Path(__file__).resolve().parents[1]
ROOT = PACKAGE.parents[1]
# The modules a build step may be: run as `python -m` runs them.
SERVED = ("analysis.publish", "analysis.records.calllog_aggregate", "analysis.records.calllog_synthetic")
# What the server imports, in the order an edited figure's chain needs them: the make rules and manifests, the
# calibration (pandas, the catalogue), the call log's regeneration and aggregate (pyarrow, DuckDB), the batches' build
# (papermill, nbconvert and its templates), the index (provenance, Jinja, fontTools). Nothing here reads data or runs
# a step; the served modules themselves are left for runpy to run fresh. After its import, a module's function named
# here runs too: nbconvert's page templates compiled once (what a build does before forking its workers).
WARM_UP = {"analysis.publish.render": "warm_up"}
# How many stages a step needs imported before it is forked, by module and command (None: any): the server imports
# the make rules' modules at once and the rest only once a step needs them (a build with nothing to rebuild, the
# touched module, the same content, imports nothing more), then the others while it waits.
NEEDS = {
    ("analysis.publish", "calibration"): 3,
    ("analysis.records.calllog_aggregate", None): 4,
    ("analysis.records.calllog_synthetic", None): 4,
    ("analysis.publish", "build"): 5,
    ("analysis.publish", "run"): 5,
    ("analysis.publish", "index"): 6,
}
STAGES = (
    ("analysis.publish.inputs", "analysis.publish.makerules"),
    ("analysis.publish.calibration", "analysis.evidence.catalogue"),
    ("analysis.records.calllog_synthetic", "analysis.records.registry"),
    ("analysis.records.calllog_duckdb", "analysis.records.calllog_dask", "duckdb"),
    ("analysis.publish.execute", "analysis.publish.kernels", "papermill", "nbformat", "analysis.publish.render"),
    ("analysis.publish.index", "analysis.evidence.provenance", "analysis.evidence.raw", "jinja2", "fontTools.subset"),
)

# Set in a served child: the step's own hand_over does not ask again.
serving = False


def package_state() -> dict[str, tuple[int, int]]:
    """Every file of the package with its size and modification time: a child runs only if nothing changed."""
    state = {}
    for path in PACKAGE.rglob("*"):
        if "__pycache__" not in path.parts and path.is_file():
            stat = path.stat()
            state[str(path)] = (stat.st_size, stat.st_mtime_ns)
    return state


def address(name: str) -> str:
    """The socket address of a name ('@name': Linux's abstract namespace, no file to leave behind or path limit)."""
    return "\0" + name[1:] if name.startswith("@") else name


# ------------------------------------------------------------------ asking


def hand_over(module: str, argv: list[str] | None = None, patience: float | None = None) -> None:
    """Run `module` with `argv` in the warm server and exit with its status; return (to run it here) when there is
    none, it refuses, or this already is a served child. A step that would run here in a moment (`patience`: seconds)
    does not wait longer than that for a server still importing."""
    status = ask(module, sys.argv[1:] if argv is None else argv, patience)
    if status is not None:
        sys.stdout.flush()
        sys.exit(status)


def ask(module: str, argv: list[str], patience: float | None = None) -> int | None:
    """The step's exit status, run by the server; None when it was not run there (nothing was sent: the server
    greets first, and a step that stops waiting for the greeting has asked nothing)."""
    name = os.environ.get(SOCKET_VARIABLE)
    if serving or not name or module not in SERVED:
        return None
    channel = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        channel.connect(address(name))
        channel.settimeout(patience)
        greeted = channel.recv(1) == b"H"
        channel.settimeout(None)
    except OSError:  # none, or still importing after `patience` (TimeoutError)
        greeted = False
    if not greeted:
        channel.close()
        return None
    with channel:
        request = {
            "module": module,
            "argv": argv,
            "cwd": os.getcwd(),
            "env": dict(os.environ),
            "nice": os.nice(0),
            "python": sys.executable,
            "root": str(ROOT),
        }
        try:
            socket.send_fds(channel, [b"R"], [0, 1, 2])
            channel.sendall(json.dumps(request).encode() + b"\n")
            replies = channel.makefile("rb")
            first = replies.readline().decode()
        except OSError:
            return None
        if not first.startswith("pid "):
            return None  # refused (or the server went away before forking): run here
        pid = int(first.split()[1])

        def forward(signum: int, _frame: Any) -> None:
            try:
                os.kill(pid, signum)
            except ProcessLookupError:
                pass

        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, forward)
        try:
            last = replies.readline().decode()
        except OSError:
            last = ""
    if not last.startswith("exit "):
        print(
            f"error: the build step {module} {' '.join(argv)} (process {pid}) ended without a status", file=sys.stderr
        )
        return 1
    return int(last.split()[1])


# ------------------------------------------------------------------ serving


def stage_needed(request: dict) -> int:
    """How many of STAGES a request's step wants imported before it is forked (NEEDS; the make rules and manifests
    only the first)."""
    argv = request.get("argv") or [None]
    return max(
        (n for (module, command), n in NEEDS.items() if module == request.get("module") and command in (None, argv[0])),
        default=1,
    )


class Server:
    """The listening socket, the package as it was before anything was imported, and the stages imported so far."""

    def __init__(self, listener: socket.socket) -> None:
        self.listener = listener
        self.selector = selectors.DefaultSelector()
        self.selector.register(listener, selectors.EVENT_READ)
        # A child whose package on disk differs from this refuses: the server's modules would be older.
        self.state = package_state()
        self.imported = 0
        self.wanted = 1  # raised by the first step that needs more: a build with work to do imports the rest

    def import_stages(self, upto: int) -> None:
        import importlib

        while self.imported < min(upto, len(STAGES)):
            for module in STAGES[self.imported]:
                try:
                    loaded = importlib.import_module(module)
                    if module in WARM_UP:
                        getattr(loaded, WARM_UP[module])()
                except Exception:  # a module that fails here fails (and is reported) in the step itself
                    pass
            self.imported += 1

    def run(self, starter: int) -> None:
        """Serve until terminated or the process that started it has gone; between requests, once a step needed more
        than the make rules' modules, import the next stage (the steps after it will want them)."""
        sys.modules.setdefault("rfc3987_syntax", None)  # as analysis.publish's command line does (its __main__)
        self.import_stages(1)
        while os.getppid() == starter:
            idle = self.imported >= len(STAGES) or self.wanted <= 1
            self.accept(timeout=1 if idle else 0)
            if not idle:
                self.import_stages(self.imported + 1)
        stop()

    def accept(self, timeout: float) -> None:
        """Serve each request waiting (within `timeout` seconds): greet, read it, import what it needs, fork."""
        while self.selector.select(timeout=timeout):
            timeout = 0
            try:
                channel, _ = self.listener.accept()
            except InterruptedError:
                continue
            request, fds = None, []
            try:
                channel.settimeout(10)  # a step sends its request as soon as it is greeted
                channel.sendall(b"H")
                message, fds, _, _ = socket.recv_fds(channel, 1, 3)
                request = json.loads(channel.makefile("rb").readline()) if message else None
                channel.settimeout(None)
            except (OSError, ValueError):
                request = None
            if request is not None:  # None: the step stopped waiting (its patience) and runs in its own interpreter
                self.wanted = max(self.wanted, stage_needed(request))
                self.import_stages(stage_needed(request))
                if os.fork() == 0:
                    self.selector.close()
                    self.listener.close()
                    become(channel, request, fds, self.state)
            for fd in fds:
                os.close(fd)
            channel.close()


def serve(name: str) -> None:
    """Listen on `name` and fork a child per request (Server), until terminated or the process that started it has
    gone."""
    starter = os.getppid()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind(address(name))
    except OSError:
        return  # no abstract sockets here: every step runs in its own interpreter
    listener.listen(16)
    signal.signal(signal.SIGTERM, lambda *_: stop())
    signal.signal(signal.SIGCHLD, reap)
    Server(listener).run(starter)


def stop() -> None:
    reap()
    os._exit(0)


def reap(*_: Any) -> None:
    """Wait for every child that has exited (so its CPU time is counted in this process's, as its parent waits)."""
    with contextlib.suppress(ChildProcessError):  # none left
        while os.waitpid(-1, os.WNOHANG)[0]:  # 0: the others still run
            pass


def refused(channel: socket.socket, fds: Iterable[int]) -> None:
    for fd in fds:
        os.close(fd)
    channel.sendall(b"refused\n")
    os._exit(0)


def become(channel: socket.socket, request: dict, fds: list[int], state: dict) -> None:
    """In the child: take the asking process's streams, directory, environment and niceness, run its module, send
    its exit status."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    try:
        uid = struct.unpack("3i", channel.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")))[1]
    except OSError:
        os._exit(1)
    if (
        len(fds) != 3
        or uid != os.getuid()
        or request.get("module") not in SERVED
        or request.get("root") != str(ROOT)
        or request.get("python") != sys.executable
        or package_state() != state
    ):
        refused(channel, fds)
    channel.sendall(f"pid {os.getpid()}\n".encode())
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    os.environ.pop(SOCKET_VARIABLE)  # what this step starts runs in interpreters of its own: never asks again
    if (lower := int(request["nice"]) - os.nice(0)) > 0:
        os.nice(lower)
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(line_buffering=os.isatty(stream.fileno()))
    global serving
    serving = True
    sys.argv = [request["module"], *request["argv"]]
    status = 0
    try:
        with warnings.catch_warnings():  # the module may be imported already (as `python -m` finds a package's)
            warnings.filterwarnings("ignore", "'.*' found in sys.modules after import of package", RuntimeWarning)
            runpy.run_module(request["module"], run_name="__main__", alter_sys=True)
    except SystemExit as end:
        if end.code is None or isinstance(end.code, int):
            status = end.code or 0
        else:
            print(end.code, file=sys.stderr)
            status = 1
    except BaseException:
        import traceback

        traceback.print_exc()
        status = 1
    try:
        atexit._run_exitfuncs()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            channel.sendall(f"exit {status}\n".encode())
        finally:
            os._exit(status)


def main(argv: list[str]) -> None:
    """serve NAME: the server `make reports` starts; MODULE ARGS...: run a served module there (or here)."""
    match argv:
        case ["serve", name]:
            serve(name)
        case [module, *args] if module in SERVED:
            hand_over(module, args)
            sys.argv = [module, *args]
            runpy.run_module(module, run_name="__main__", alter_sys=True)
        case _:
            raise SystemExit(f"usage: python -m analysis.publish.warm serve NAME | {'|'.join(SERVED)} ARGS...")


if __name__ == "__main__":
    # Run as analysis.publish.warm, not as __main__: the steps a child runs import it under that name, and must see
    # it `serving`.
    from analysis.publish import warm

    warm.main(sys.argv[1:])
