"""Settings for the test suite: the ordinary settings in test mode (see BRUECKE_ENV)."""

import os

os.environ["BRUECKE_ENV"] = "test"

import tempfile
from pathlib import Path

from bruecke.settings import *  # noqa: F403

# Uploaded files of the test run go to a throw-away directory.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="bruecke-test-media-"))
# Results of background jobs of the test run, likewise (a worker started by a test is
# given the test's directory in JOB_RESULTS_DIR).
JOB_RESULTS_DIR = Path(os.environ.get("JOB_RESULTS_DIR") or tempfile.mkdtemp(prefix="bruecke-test-jobs-"))
IMPORT_FILES_DIR = Path(tempfile.mkdtemp(prefix="bruecke-test-imports-"))
