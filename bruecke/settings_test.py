"""Settings for the test suite: the ordinary settings in test mode (see BRUECKE_ENV)."""

import os

os.environ["BRUECKE_ENV"] = "test"

from bruecke.settings import *  # noqa: F403
