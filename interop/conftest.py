"""Shared fixtures for the interop tests: the built incidents binary and a
scratch folder. The readers themselves are imported by each test module."""
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def incidents_bin():
    path = os.environ.get("INCIDENTS_BIN") or str(ROOT / "bin" / "incidents")
    if not os.path.exists(path):
        subprocess.run(["go", "build", "-o", path, "./cmd/incidents"], cwd=ROOT, check=True)
    return path


@pytest.fixture
def run(incidents_bin):
    def _run(*args, check=True):
        return subprocess.run([incidents_bin, *map(str, args)], capture_output=True, text=True, check=check)
    return _run
