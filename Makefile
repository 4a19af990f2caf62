# zhpress: `make` builds the default book, `make test` runs the test suite.
# Both set up what they need first: system packages (as root) and a pinned .venv.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Which manuscript, and where its books go: `make MANUSCRIPT=~/vault/book OUTPUT=~/books pdf`.
MANUSCRIPT ?= manuscript
OUTPUT ?= output
DIST ?= dist
BUILD := $(PY) build.py --manuscript "$(MANUSCRIPT)" --output "$(OUTPUT)"
SETUP := $(VENV)/.requirements $(VENV)/.system-deps
# DAISY Ace's Node tree and Debian's chromium (tools/ace-setup.sh): for `make check` and the tests.
ACE_STAMP := tools/ace/node_modules/.installed
# One target per output (pdf, epub, html, pdf-press, …), as zhpress/outputs.py declares them;
# that module needs only the standard library, so it is read before the venv exists.
OUTPUT_TARGETS := $(shell $(PYTHON) -m zhpress.outputs)

.PHONY: all $(OUTPUT_TARGETS) align check test lint dist bench fuzz clean setup
.DEFAULT_GOAL := all

all: $(SETUP)
	@$(BUILD) all

$(OUTPUT_TARGETS): $(SETUP)
	@$(BUILD) $@

# How each chapter pairs with its English original (chapters/NAME.en.md), as a page to review.
align: $(SETUP)
	@$(BUILD) align

# DAISY Ace, the accessibility checker, is part of `check`: a pinned Node tree in tools/ace driving
# Debian's chromium (tools/ace-setup.sh installs both).
check: $(SETUP) $(ACE_STAMP)
	@$(BUILD) check

dist: $(SETUP)
	@$(BUILD) --dist "$(DIST)" dist

test: $(SETUP) $(ACE_STAMP)
	$(PY) -m pytest -q

lint: $(SETUP)
	$(VENV)/bin/ruff check .

setup: $(SETUP)

$(VENV)/.requirements: requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	@$(PY) -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

$(VENV)/.system-deps: tools/system-deps.sh
	@sh tools/system-deps.sh
	@mkdir -p $(VENV) && touch $@

clean:
	rm -rf output dist .pytest_cache

bench: $(SETUP)
	$(PY) bench/run.py

fuzz: $(SETUP)
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest -q tests/test_properties.py

$(ACE_STAMP): tools/ace-setup.sh tools/ace/package.json tools/ace/package-lock.json
	@sh tools/ace-setup.sh
