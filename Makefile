# crmdesk developer commands. `make demo` and `make test` are the two that matter;
# both create .venv on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

export QT_API := pyside6

.PHONY: demo test lint typecheck contracts unit bench screenshot sysdeps clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "crmdesk needs Python 3.11 or newer; set PYTHON=python3.11 (or newer)")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@rm -f $(VENV)/.installed-* && touch $@

## demo: start crmdesk on its embedded sandbox APIs
demo: $(STAMP)
	$(BIN)/crmdesk --demo

## test: lint, import contracts, type checks and the whole test suite (offscreen)
test: lint contracts typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check crmdesk tests
	$(BIN)/ruff format --check crmdesk tests

contracts: $(STAMP)
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q

## bench: the budgets of DESIGN.md, measured as ratios against baselines in the same run
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/bench/run.py

## screenshot: the demo window under Xvfb, saved to out.png
screenshot: $(STAMP)
	xvfb-run -a -s "-screen 0 1600x1000x24" $(BIN)/crmdesk --demo --screenshot out.png

## sysdeps: the Debian/Ubuntu libraries Qt needs to run offscreen and under Xvfb (as root)
sysdeps:
	sh .ci/sysdeps.sh

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
