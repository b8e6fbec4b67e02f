# The front door. `make` alone lists the targets; every target sets up what it needs.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
.SUFFIXES:
MAKEFLAGS += --no-builtin-rules

# ---------------------------------------------------------------- environment
PYTHON_BOOT ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
VENV_STAMP := $(VENV)/.installed
LAB_STAMP := $(VENV)/.lab-installed
# The optional groups of pyproject.toml (what the report build does not need) and their stamps in .venv.
EXTRAS := lab test scale
extras = $(addprefix $(VENV)/.extra-,$(1))
# The project kernel's name, written once, in analysis/environment.py.
KERNEL_NAME := $(shell sed -n 's/^KERNEL_NAME = "\([^"]*\)".*/\1/p' src/analysis/environment.py)
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

# Everything runs on the project's own interpreter, kernel and settings: nothing from
# the user's home directory (Jupyter kernels, IPython startup files, matplotlibrc) leaks in.
export PYTHONPATH := $(CURDIR)/src
export JUPYTER_CONFIG_DIR := $(abspath $(VENV))/jupyter/config
export JUPYTER_DATA_DIR := $(abspath $(VENV))/jupyter/data
export JUPYTER_PLATFORM_DIRS := 1
export IPYTHONDIR := $(abspath $(VENV))/ipython
# `make lab` alone runs its kernels with this IPython dir (autoreload on); builds and nbval never see it.
export LAB_IPYTHONDIR := $(abspath $(VENV))/ipython-lab
export MPLCONFIGDIR := $(abspath $(VENV))/matplotlib
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# uv installs no .pyc files, and where PYTHONDONTWRITEBYTECODE is set (CI images often set it) every
# interpreter and kernel would compile pandas, matplotlib and the rest from source on each start,
# about half of each report's time. The project's own processes cache bytecode (in .venv and the
# git-ignored __pycache__ folders): the first run compiles what it imports, every later one reads it.
unexport PYTHONDONTWRITEBYTECODE
export PYTHONHASHSEED := 0
export TZ := UTC

PACKAGE_SOURCES := $(sort $(shell find src/analysis -type f \( -name "*.py" -o -name "*.j2" -o -name "*.json" -o -name "*.css" -o -name "*.yml" \) -not -path "*/__pycache__/*")) pyproject.toml
RAW_FILES := $(sort $(wildcard data/raw/*.csv))
PROCESSED_TABLES := $(addprefix data/processed/,sources.csv regions.csv scopes.csv indicators.csv figures.csv poverty_caseload.csv \
	hotline_volume.csv service_satisfaction.csv audit.csv breakdowns.csv audit_derived.csv)

.PHONY: help
help: ## List every target with a one-line description
	@echo "Policy-research repository: make TARGET"
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_.-]+:.*## / {printf "  %-24s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: setup
setup: $(VENV_STAMP) $(call extras,$(EXTRAS)) $(LAB_STAMP) ## Create .venv with every group in uv.lock and register the project kernel

# uv (pinned with hashes in requirements-tools.lock) lives in its own small venv; it installs .venv
# from uv.lock and `make lock` resolves with it.
TOOLS := .venv-tools
UV := $(TOOLS)/bin/uv

$(UV): requirements-tools.lock
	rm -rf $(TOOLS)
	$(PYTHON_BOOT) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-tools.lock
	touch $@

# uv.lock pins every package of every group exactly, with the hashes uv checks on install. Each target
# installs only the groups it needs: the build (`make data`, `make reports`) the project's dependencies,
# `make lab` adds `lab`, `make test` adds `test`, `scale` and `lab` (pyproject.toml says what each holds).
# --frozen: install the lock as it is, never re-resolve; no Python is downloaded, PYTHON_BOOT is used.
UV_SYNC = UV_PROJECT_ENVIRONMENT=$(VENV) UV_PYTHON_DOWNLOADS=never $(UV) sync --quiet --frozen

# Rebuilt from scratch whenever the lock or the package metadata changes, so the environment is exactly
# the lock's build packages and nothing left over from an older one (which also drops every group's stamp).
# The project is built in .venv by the locked setuptools (no isolated build env, no network), so that
# group goes in first.
$(VENV_STAMP): uv.lock pyproject.toml | $(UV)
	@$(PYTHON_BOOT) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
		{ echo "error: Python 3.11 is required (found $$($(PYTHON_BOOT) --version 2>&1)); set PYTHON_BOOT=/path/to/python3.11" >&2; exit 1; }
	rm -rf $(VENV)
	$(UV) venv --quiet --python $(PYTHON_BOOT) $(VENV)
	$(UV_SYNC) --no-install-project
	$(UV_SYNC)
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL_NAME) --display-name "Python 3.11 ($(KERNEL_NAME))" >/dev/null
	touch $@

# An optional group added to .venv (--inexact keeps the groups already there).
$(VENV)/.extra-%: $(VENV_STAMP)
	$(UV_SYNC) --inexact --extra $*
	touch $@

# JupyterLab's font, CSS and page config and the lab-only IPython profile (src/analysis/publish/lab.py).
$(LAB_STAMP): src/analysis/publish/lab.py src/analysis/charts/fonts.py $(VENV_STAMP)
	$(PY) -m analysis.publish.lab install
	touch $@

.PHONY: lock
lock: $(UV) ## Re-resolve pyproject.toml's dependencies into uv.lock, and environment.yml from it
	UV_PYTHON_DOWNLOADS=never $(UV) lock --quiet --python $(PYTHON_BOOT)
	$(PYTHON_BOOT) -c 'import sys; sys.path.insert(0, "src"); from analysis.environment import write_environment_yml; write_environment_yml("$(UV)")'

# ---------------------------------------------------------------- data
.PHONY: data
data: $(PROCESSED_TABLES) ## Validate data/raw and write the tidy tables in data/processed

# The tables are rewritten only when their content changes, so a report is rebuilt
# only when a table it reads really changed; the stamp records that validation ran.
build/data.stamp: $(RAW_FILES) $(PACKAGE_SOURCES) | $(VENV_STAMP)
	$(PY) -m analysis.evidence.catalogue
	@mkdir -p $(@D) && touch $@

$(PROCESSED_TABLES): build/data.stamp ;

# ---------------------------------------------------------------- reports
# Each page depends on its manifest of input hashes (build/inputs/<name>.json, publish.inputs): the rows
# of the tables it reads, its notebook, its entry, the modules it imports, its templates and record-level
# inputs. A manifest is rewritten only when that content changes, so make's timestamps follow content.
.PHONY: reports
# One build at a time per tree: a second `make reports` stops at once with a clear message.
# The warm kernel template the build's reports fork their kernels from (publish.kernels) is started first, so it
# imports on the second core while `make data` and the input hashes run on the first; it is ended with the build.
# Once the data are validated, the build's warm interpreter (publish.warm) starts: every later Python step of the
# build (make rules, manifests, calibration, the call log's regeneration, the batches, the index) is a child forked
# from it, its imports done, rather than an interpreter of its own; it is ended with the build too.
reports: | $(VENV_STAMP) ## Run every notebook in reports.yml whose inputs changed and build reports/index.html
	@mkdir -p build
	@exec 9>build/build.lock; flock -n 9 || { echo "error: another build is running in this tree (it holds build/build.lock); wait for it to finish" >&2; exit 1; }; \
	export KERNEL_TEMPLATE_SOCKET="$(CURDIR)/build/kernel-template"; \
	$(PY) -m analysis.publish template "$$KERNEL_TEMPLATE_SOCKET" 9>&- & template=$$!; warm=; \
	trap 'kill $$template $${warm} 2>/dev/null || true; wait $$template $${warm} 2>/dev/null || true' EXIT; \
	$(MAKE) --no-print-directory data; \
	export PUBLISH_WARM_SOCKET="@analysis-publish-$$$$-$$(date +%s%N)"; \
	$(PY) -m analysis.publish.warm serve "$$PUBLISH_WARM_SOCKET" 9>&- & warm=$$!; \
	$(MAKE) --no-print-directory --keep-going -j$(JOBS) REPORTS_BATCHED=1 reports/index.html

# One rule per report, generated from reports.yml (and rewritten only when it changes). Read only by the
# goals that use its rules (`make reports` reaches them through its own sub-make): elsewhere remaking it would
# run `make data` first, and a failed -include leaves make to print a misleading 'No rule to make target'.
ifneq ($(filter reports/% build/%,$(MAKECMDGOALS)),)
-include build/reports.mk
endif
# It also depends on the processed tables: `regions: from_data` entries expand to one report per region.
build/reports.mk: reports.yml $(wildcard src/analysis/publish/*.py) build/data.stamp | $(VENV_STAMP)
	$(PY) -m analysis.publish makefile

# Build information for the index, rewritten only when the commit, lock or raw data change.
build/buildinfo.txt: FORCE
	@mkdir -p $(@D)
	@{ git describe --always --dirty --abbrev=40 2>/dev/null || echo "not a git checkout"; \
	   sha256sum uv.lock | cut -c1-64; \
	   cat $(RAW_FILES) | sha256sum | cut -c1-64; } > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

.PHONY: FORCE
FORCE:

# What each SYNTHETIC generator is calibrated to (its section of synthetic.yml and the published rows it
# selects, the registry's by declared meaning: indicators.csv), each extract rewritten only when it changes
# (publish.calibration): mk/calllog.mk, mk/registry.mk.
CALIBRATION_EXTRACTS := build/calibration/calllog.json build/calibration/registry.json
build/calibration.stamp: synthetic.yml data/processed/hotline_volume.csv data/processed/poverty_caseload.csv \
		data/processed/indicators.csv src/analysis/evidence/meaning.py \
		src/analysis/publish/calibration.py src/analysis/records/calllog_synthetic.py src/analysis/records/registry.py | $(VENV_STAMP)
	$(PY) -m analysis.publish calibration
	@touch $@
$(CALIBRATION_EXTRACTS): build/calibration.stamp ;

# The calibration extracts too (cheap; the SYNTHETIC inputs are not regenerated): a SYNTHETIC report's manifest
# names its extract, so `why` says so when an edited figure recalibrates its input.
.PHONY: why
why: data $(CALIBRATION_EXTRACTS) ## Say what changed since a report's last build, or that it is up to date: make why REPORT=name
	@test -n "$(REPORT)" || { echo "usage: make why REPORT=name (a report of reports.yml, e.g. hotline_growth_beijing)" >&2; exit 2; }
	@$(PY) -m analysis.publish why "$(REPORT)"

.PHONY: bench-loop
# The benchmark copies the tree with the tests' own copy_repository (tests/conftest.py), which imports pytest.
bench-loop: reports $(call extras,test) ## Time the edit-rebuild loop in a copy of this built tree: no-op, one figure, a notebook, a module (CASES=figure: those cases)
	$(PY) scripts/bench_loop.py $(CASES)

# Record-level inputs (synthetic stand-ins and their cached aggregates) have their own rules.
include $(sort $(wildcard mk/*.mk))

# ---------------------------------------------------------------- use and checks
.PHONY: lab
lab: data $(LAB_STAMP) $(call extras,lab) ## Open JupyterLab on the repository with the project kernel
	IPYTHONDIR="$(LAB_IPYTHONDIR)" $(VENV)/bin/jupyter lab --notebook-dir="$(CURDIR)" $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

# Every test runs in $(JOBS)+1 pytest-xdist workers: a file to a worker (a notebook's cells share one
# kernel), but the clean rebuild alone, the incremental-build tests as two chains on two scratch copies and
# the browser tests a report family to a worker (tests/conftest.py); slow tests start first. One worker more
# than cores, because a worker often waits on its kernels, Chromium or a build's processes (2 cores:
# 306.6 s with 3 workers against 356.1 s with 2, same load, 2026-12-04). PYTEST_XDIST= runs them all in this
# process instead.
PYTEST_WORKERS ?= $(shell echo $$(($(JOBS) + 1)))
PYTEST_XDIST ?= -n $(PYTEST_WORKERS) --dist loadscope --no-loadscope-reorder

LINTED := src tests scripts notebooks

.PHONY: lint
lint: | $(call extras,test) ## Check layout and lint with ruff (src, tests, scripts, notebooks' code cells): seconds
	$(VENV)/bin/ruff check $(LINTED)
	$(VENV)/bin/ruff format --check $(LINTED)

.PHONY: format
format: | $(call extras,test) ## Let ruff lay out and fix what it safely can in src, tests, scripts and notebooks
	$(VENV)/bin/ruff check --fix $(LINTED)
	$(VENV)/bin/ruff format $(LINTED)

.PHONY: import-cycles
import-cycles: ## Print the import cycles of src/analysis, imports inside functions counted (none; fails if any)
	$(PYTHON_BOOT) scripts/import_cycles.py

.PHONY: test
test: lint reports $(call extras,test scale lab) ## Run the linter, then the test suite (unit, schema, notebook, build and browser tests)
	$(PY) -m pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

.PHONY: provenance-count
provenance-count: reports ## Count, per page, the numbers that carry their provenance against those that should
	$(PY) -m analysis.publish.traced $(filter-out %.code.html,$(wildcard reports/html/*.html))

.PHONY: diff
diff: reports ## Compare key numbers and figures with a reference build (REF=git ref, default HEAD): reports/changes.html
	$(PY) -m analysis.publish.diff $(or $(REF),HEAD)

.PHONY: test-fast
test-fast: data $(call extras,test scale) ## Run only the fast unit tests (no report build, notebooks or browser): seconds
	$(PY) -m pytest tests -m "not slow and not browser" $(PYTEST_XDIST) $(PYTEST_ARGS)

# Like bench-loop, it copies the tree with tests/conftest.py's copy_repository (pytest).
.PHONY: bench-reports
bench-reports: data $(call extras,test) ## Time the project's report build against the naive papermill+nbconvert pipeline
	$(PY) scripts/bench_reports.py

.PHONY: bench-kernel-starts
bench-kernel-starts: setup ## Start many report kernels at once, by each way of starting them: how many die (KERNELS=800)
	@mkdir -p build
	$(PY) scripts/bench_kernel_starts.py 2> build/kernel-starts.log
	@echo "the kernels' own output, tracebacks included: build/kernel-starts.log"

.PHONY: bench-tests
bench-tests: reports $(call extras,test scale lab) ## Time the test suite as make test runs it, then its long parts alone (BENCH_PARTS=parts: only those)
	$(PY) scripts/bench_tests.py $(BENCH_PARTS)

.PHONY: strip-notebooks
strip-notebooks: | $(VENV_STAMP) ## Clear notebook outputs before committing, except headline cells' references
	$(PY) -m analysis.publish.notebooks strip

.PHONY: headlines
headlines: data ## Re-record the reference outputs of headline cells (NBVAL_CHECK_OUTPUT) after a deliberate change
	$(PY) -m analysis.publish.notebooks headlines

.PHONY: clean
clean: ## Remove everything generated (processed tables, reports, build files); keep .venv
	rm -rf build reports
	find data/processed -type f ! -name README.md -delete

.PHONY: distclean
distclean: clean ## Also remove .venv and the generated SYNTHETIC inputs
	rm -rf $(VENV) $(TOOLS) .venv-lock data/synthetic
