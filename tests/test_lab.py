"""`make lab` starts JupyterLab on the repository with the project kernel, also as root."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from analysis import paths
from analysis.environment import KERNEL_NAME

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_make_lab_serves_the_repository_with_the_project_kernel():
    port, token = free_port(), "policy-research-test"
    args = f"--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token={token}"
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS")}
    lab = subprocess.Popen(
        ["make", "--no-print-directory", "lab", f"LAB_ARGS={args}"],
        cwd=paths.ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert lab.poll() is None, lab.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "JupyterLab did not start within 90 s"
                time.sleep(0.5)
        with urllib.request.urlopen(f"{base}/api/kernelspecs?token={token}", timeout=5) as response:
            specs = json.load(response)
        assert KERNEL_NAME in specs["kernelspecs"]
        with urllib.request.urlopen(f"{base}/api/contents/notebooks?token={token}", timeout=5) as response:
            names = {item["name"] for item in json.load(response)["content"]}
        assert "01_poverty_exit.ipynb" in names
    finally:
        os.killpg(lab.pid, signal.SIGTERM)
        lab.wait(timeout=30)
