import os
import pathlib

import pytest

ROOT = pathlib.Path(os.environ.get("ELIGO_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[3]))


@pytest.fixture
def root():
    return ROOT
