"""The build's warm interpreter (publish.warm): a step it serves behaves as the step run in its own interpreter, and a
step it cannot vouch for (another package on disk than the one it imported, no server) runs in its own."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from analysis import paths
from analysis.publish import warm

ENV = {**os.environ, "PYTHONPATH": str(paths.ROOT / "src")}


def start(name: str, package: Path | None = None) -> subprocess.Popen:
    """A server on `name`, as `make reports` starts one (or judging `package` as its package on disk)."""
    code = "import sys; from analysis.publish import warm\n"
    if package is not None:
        code += f"from pathlib import Path; warm.PACKAGE = Path({str(package)!r})\n"
    code += "warm.serve(sys.argv[1])"
    server = subprocess.Popen([sys.executable, "-c", code, name], cwd=paths.ROOT, env=ENV)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # bound at once, before its imports
        if f"@{name[1:]}" in Path("/proc/net/unix").read_text():
            return server
        time.sleep(0.05)
    server.kill()
    pytest.fail("the warm server did not listen")


@pytest.fixture
def server(monkeypatch):
    name = f"@analysis-publish-test-{uuid.uuid4().hex}"
    process = start(name)
    monkeypatch.setenv(warm.SOCKET_VARIABLE, name)
    yield name
    process.terminate()
    process.wait(timeout=30)


def local(*argv: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in ENV.items() if k != warm.SOCKET_VARIABLE}
    return subprocess.run([sys.executable, "-m", *argv], cwd=paths.ROOT, env=env, capture_output=True, text=True)


def test_a_served_step_prints_and_ends_as_it_does_in_its_own_interpreter(server, capfd):
    """`why` (what make runs for `make why`, reading the manifests only) and a wrong command (its usage, exit 1): the
    same output on the same streams, the same status, from a child of the server given this process's streams."""
    name = "data_audit"
    for argv, status in ((["why", name], 0), (["no-such-command"], 1)):
        expected = local("analysis.publish", *argv)
        capfd.readouterr()
        assert warm.ask("analysis.publish", argv) == status == expected.returncode
        got = capfd.readouterr()
        assert (got.out, got.err) == (expected.stdout, expected.stderr)


def test_without_a_server_or_for_another_module_a_step_runs_in_its_own_interpreter(monkeypatch):
    monkeypatch.setenv(warm.SOCKET_VARIABLE, f"@analysis-publish-test-{uuid.uuid4().hex}")  # nobody listens
    assert warm.ask("analysis.publish", ["why", "data_audit"]) is None
    monkeypatch.delenv(warm.SOCKET_VARIABLE)
    assert warm.ask("analysis.publish", ["why", "data_audit"]) is None
    assert warm.ask("analysis.evidence.catalogue", []) is None  # not a build step it serves


def test_a_package_changed_since_the_server_imported_it_is_refused(tmp_path, monkeypatch, capfd):
    """The server imported the package as it was; once a file of it changes (here in a copy it judges by), a child
    would run old code: it refuses, and the step runs in its own interpreter."""
    package = tmp_path / "analysis"
    shutil.copytree(paths.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    name = f"@analysis-publish-test-{uuid.uuid4().hex}"
    process = start(name, package)
    monkeypatch.setenv(warm.SOCKET_VARIABLE, name)
    try:
        assert warm.ask("analysis.publish", ["no-such-command"]) == 1  # served while the package is as it was
        edited = package / "publish" / "config.py"
        edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        capfd.readouterr()
        assert warm.ask("analysis.publish", ["no-such-command"]) is None
        assert capfd.readouterr().err == ""  # nothing ran
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_step_that_will_not_wait_for_a_server_still_importing_is_not_run_by_it(server, capfd):
    """A server greets a step once it has finished the imports it is doing; a step with a patience shorter than that
    asks nothing (a child finding it gone exits) and runs in its own interpreter: never both."""
    assert warm.ask("analysis.publish", ["no-such-command"], patience=0.0) in (None, 1)
    time.sleep(1)
    capfd.readouterr()
    assert warm.ask("analysis.publish", ["no-such-command"], patience=30) == 1
    assert capfd.readouterr().err.count("usage:") == 1
