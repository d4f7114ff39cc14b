# make run: install, migrate, load demo data, serve on http://localhost:$(PORT)
#   WORKERS=4 make run: four web processes, and the outbox worker once beside them (python -m backend.manage worker)
# make test: install, then run every test (SQLite, and PostgreSQL when TEST_DATABASE_URL is set)
# make lint: ruff, then the type checker (mypy) on backend/
# make lock: after changing pyproject.toml's dependencies, pin them and all they bring in requirements.lock
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
# Python 3.12 or newer: on PATH, or from pyenv.
PYTHON ?= $(shell for c in python3.13 python3.12 $$(ls -d $$(pyenv root 2>/dev/null)/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) python3; do \
  if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then command -v $$c; break; fi; done)

export DEMO_MODE ?= 1

.PHONY: run test bench bench-scale a11y-report install browser vnu migrate demo lint lock clean i18n i18n-compile i18n-report

# Every install takes the exact versions in requirements.lock (-c: constraints), so a newcomer, CI and
# production run what the tests ran.
LOCK := requirements.lock
NEED_PYTHON = @if [ -z "$(PYTHON)" ]; then echo "Python 3.12 or newer is needed: install it (or 'pyenv install 3.12') and run make again." >&2; exit 1; fi

$(VENV)/.installed: pyproject.toml $(LOCK)
	$(NEED_PYTHON)
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c $(LOCK) -e .
	@# WeasyPrint (the result PDF) draws text with the system's Pango: Debian's libpango-1.0-0 and libpangoft2-1.0-0.
	@if ! $(PY) -c 'import weasyprint' >/dev/null 2>&1; then \
	  echo "Installing Debian's Pango for WeasyPrint (the result PDF)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; fi
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed $(LOCK)
	$(PY) -m pip install --quiet -c $(LOCK) -e '.[test]'
	touch $@

install: $(VENV)/.installed

# Resolves pyproject.toml (with every extra) for Python 3.12+ on any platform, from PyPI, with uv (pinned,
# installed in the venv). Versions already in the lock stay unless pyproject.toml needs others:
# LOCK_ARGS=--upgrade moves everything to the newest, LOCK_ARGS='--upgrade-package litestar' one package.
UV_VERSION := 0.13.9
lock:
	$(NEED_PYTHON)
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet uv==$(UV_VERSION)
	$(VENV)/bin/uv pip compile pyproject.toml --all-extras --universal --python-version 3.12 --quiet \
	  --custom-compile-command 'make lock' -o $(LOCK) $(LOCK_ARGS)

# The portal reads the .po files themselves: this only checks that every catalogue parses.
i18n-compile: install
	$(PY) locales/tool.py compile

# After changing user-facing strings: extract them and update every language's catalogue.
i18n: install
	$(PY) locales/tool.py extract
	$(PY) locales/tool.py compile

# Per language and kind (interface, catalogue, forms, PDF): reviewed, draft and missing; then the automatic checks.
i18n-report: install
	$(PY) locales/tool.py report
	$(PY) locales/tool.py check

migrate: install i18n-compile
	$(PY) -m backend.manage migrate

demo: migrate
	$(PY) -m backend.manage demo

run: demo
	TEMPLATE_RELOAD=$${TEMPLATE_RELOAD:-1} $(PY) -m backend.manage serve

browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  echo "Installing Debian's chromium and chromium-driver for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; fi

# The W3C Nu HTML checker for the accessibility audit: vnu.jar from npm, pinned, run by the system's Java 17.
# --ignore-scripts: the package's postinstall would download a JDK from GitHub; Debian's Java is used instead.
VNU_VERSION := 26.9.27
VNU_DIR := accessibility/.vnu
vnu:
	@if ! command -v java >/dev/null; then \
	  echo "Installing Debian's default-jre-headless (Java) for the Nu HTML checker"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq default-jre-headless >/dev/null; fi
	@if ! grep -Eqs '"version": *"$(VNU_VERSION)"' $(VNU_DIR)/node_modules/vnu-jar/package.json; then \
	  command -v npm >/dev/null || { echo "npm is needed to install the Nu HTML checker (vnu-jar)" >&2; exit 1; }; \
	  echo "Installing vnu-jar $(VNU_VERSION) (the Nu HTML checker) under $(VNU_DIR)"; \
	  npm install --prefix $(VNU_DIR) --ignore-scripts --no-audit --no-fund --silent vnu-jar@$(VNU_VERSION); fi

test: $(VENV)/.installed-test browser vnu i18n-compile
	$(PY) -m pytest $(PYTEST_ARGS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "== integration tests again, on PostgreSQL ($$TEST_DATABASE_URL)"; \
	  TEST_ENGINE=postgres $(PY) -m pytest tests/integration $(PYTEST_ARGS); \
	else echo "== TEST_DATABASE_URL not set: PostgreSQL pass skipped (.ci/run sets it)"; fi

# Figures for this machine, in one run (BENCH_SECONDS per URL, 5 by default; BENCH_ARGS=--quick for a smoke run).
# wrk, the HTTP load generator, comes from Debian when missing (else a Python one is used, which saturates sooner).
bench: $(VENV)/.installed-test lighthouse
	@if ! command -v wrk >/dev/null; then \
	  echo "Installing Debian's wrk (HTTP load generator) for the bench"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  { $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk >/dev/null; } || echo "no wrk: Python load"; fi
	$(PY) tests/bench/run.py $(BENCH_ARGS)
	$(PY) -m tests.bench.data_export  # a citizen's copy of their data, 50 dossiers (issue 21)
	$(PY) -m tests.bench.access_log  # what the access log costs a page: buffer, one insert after it (issue 21)
	@case " $(BENCH_ARGS) " in *" --quick "*) echo "Lighthouse: skipped (--quick)";; \
	  *) $(PY) -m tests.bench.lighthouse;; esac

# Google's Lighthouse CLI for make bench's mobile performance scores (tests/bench/lighthouse.py): from npm, pinned
# (12.8 runs on Node 20), under a git-ignored folder, driving Debian's Chromium. Without npm the bench says so.
LIGHTHOUSE_VERSION := 12.8.2
LIGHTHOUSE_DIR := tests/bench/.lighthouse
.PHONY: lighthouse
lighthouse: browser
	@if ! grep -Eqs '"version": *"$(LIGHTHOUSE_VERSION)"' $(LIGHTHOUSE_DIR)/node_modules/lighthouse/package.json; then \
	  if ! command -v npm >/dev/null; then echo "npm not found: Lighthouse is not installed, make bench skips it"; \
	  else echo "Installing Lighthouse $(LIGHTHOUSE_VERSION) under $(LIGHTHOUSE_DIR)"; \
	  npm install --prefix $(LIGHTHOUSE_DIR) --ignore-scripts --no-audit --no-fund --silent \
	    lighthouse@$(LIGHTHOUSE_VERSION) || echo "Lighthouse could not be installed: make bench skips it"; fi; fi

# A national-sized data set loaded with COPY into its own PostgreSQL database (SCALE_DATABASE_URL, by default
# postgres://postgres@127.0.0.1:5432/portal_scale, created if missing, its schema dropped and migrated), then
# p50/p95/p99 of status look-up, search, My dossiers and the desk queue through HTTP. Sizes: SCALE_DOSSIERS
# (10,000,000), SCALE_CITIZENS, SCALE_PROCEDURES, SCALE_COMMUNES, SCALE_SAMPLES; SCALE_ARGS=--measure-only.
bench-scale: $(VENV)/.installed-test
	$(PY) -m tests.bench.scale $(SCALE_ARGS)

# axe (WCAG 2.0/2.1/2.2 A and AA) and the Nu HTML checker on every page state in every language; prints the
# counts, writes the summary.
A11Y_REPORT ?= data/a11y-report.md
a11y-report: $(VENV)/.installed-test browser vnu i18n-compile
	@A11Y_FULL=1 A11Y_REPORT=$(A11Y_REPORT) $(PY) -m pytest tests/browser/test_axe_audit.py -q -p no:cacheprovider; status=$$?; \
	  echo "accessibility report: $(A11Y_REPORT)"; exit $$status

# ruff on all the Python, then mypy on backend/ (its settings: [tool.mypy] in pyproject.toml).
lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check backend tests accessibility locales
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) data $(VNU_DIR)
