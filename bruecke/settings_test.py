"""Settings for the test suite: the ordinary settings in test mode (see BRUECKE_ENV)."""

import os

os.environ["BRUECKE_ENV"] = "test"

import tempfile
from pathlib import Path

from bruecke.settings import *  # noqa: F403

# Uploaded files of the test run go to a throw-away directory.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="bruecke-test-media-"))
