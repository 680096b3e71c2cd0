"""Settings for the subprocesses of tests/test_backup_restore.py: the ordinary settings,
plus a background-job results directory of the test's own (the backup includes it)."""

import os
from pathlib import Path

from bruecke.settings import *  # noqa: F403

JOB_RESULTS_DIR = Path(os.environ["BRUECKE_TEST_JOB_RESULTS_DIR"])
