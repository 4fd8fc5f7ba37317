"""Shared fixtures of the Python tests (run by ctest: python.*)."""
import os
import pathlib
import sys

import pytest

SOURCE_DIR = pathlib.Path(os.environ.get("TM_SOURCE_DIR", pathlib.Path(__file__).parents[3]))
BUILD_DIR = pathlib.Path(os.environ.get("TM_BUILD_DIR", SOURCE_DIR / "build"))
CLI = BUILD_DIR / "src" / "techmatch"
CLI_DATA = SOURCE_DIR / "tests" / "cli" / "data"
SEED = SOURCE_DIR / "seeds" / "jinshui-2011"

assert sys.executable.startswith("/usr/bin/python3"), sys.executable


@pytest.fixture
def source_dir():
    return SOURCE_DIR


@pytest.fixture
def build_dir():
    return BUILD_DIR
