# crmdesk developer commands. `make demo` and `make test` are the two that matter;
# both create .venv on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

export QT_API := pyside6

.PHONY: demo test lint typecheck contracts unit bench fuzz soak screenshot sysdeps bundle bundle-check clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "crmdesk needs Python 3.11 or newer; set PYTHON=python3.11 (or newer)")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@rm -f $(VENV)/.installed-* && touch $@

# Qt needs a few system libraries on Linux. The check starts Qt on the platform plugin that
# will be used (the demo's: xcb or wayland; the tests': offscreen), installs what is missing
# when it may (root, or sudo without a password) and otherwise prints the one command to run;
# with no display at all it says so and points at `make screenshot`.
QT_CHECK = @$(BIN)/python .ci/qt_check.py --install

## demo: start crmdesk on its embedded sandbox APIs
demo: $(STAMP)
	$(QT_CHECK)
	$(BIN)/crmdesk --demo

## test: lint, import contracts, type checks and the whole test suite (offscreen)
test: lint contracts typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check crmdesk tests .ci
	$(BIN)/ruff format --check crmdesk tests .ci

contracts: $(STAMP)
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(QT_CHECK) --platform offscreen
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q

## bench: the budgets of DESIGN.md, measured as ratios against baselines in the same run
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/bench/run.py

## fuzz: every backend's real client against 10,000 generated bad replies each, and the table
fuzz: $(STAMP)
	cd tests/fuzz && ../../$(BIN)/python fuzz_run.py --cases 10000

## soak: several connections paging and saving at once, opened and closed hundreds of times
soak: $(STAMP)
	CRMDESK_SOAK=long QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q tests/soak -s

## screenshot: the demo window under Xvfb, saved to out.png
screenshot: $(STAMP)
	xvfb-run -a -s "-screen 0 1600x1000x24" $(BIN)/crmdesk --demo --screenshot out.png

# The bundle is built in a venv of its own: PyInstaller must see only what the app installs.
BUNDLE_VENV := build/venv
BUNDLE_BIN := $(BUNDLE_VENV)/bin
BUNDLE_STAMP := $(BUNDLE_VENV)/.installed-$(shell cat pyproject.toml packaging/requirements-build.txt | cksum | cut -d' ' -f1)
# The screenshot proves the X11 platform plugin when there is an Xvfb to draw on.
ifneq ($(shell command -v xvfb-run),)
SCREEN := xvfb-run -a -s "-screen 0 1600x1000x24"
SHOT_PLATFORM := xcb
else
SCREEN :=
SHOT_PLATFORM := offscreen
endif

$(BUNDLE_STAMP): pyproject.toml packaging/requirements-build.txt
	@test -x $(BUNDLE_BIN)/python || $(PYTHON) -m venv $(BUNDLE_VENV)
	$(BUNDLE_BIN)/python -m pip install --quiet --upgrade pip
	$(BUNDLE_BIN)/python -m pip install --quiet -e . -r packaging/requirements-build.txt
	@rm -f $(BUNDLE_VENV)/.installed-* && touch $@

## bundle: the PyInstaller bundle in dist/crmdesk (on Linux a test artefact: packaging/README.md)
bundle: $(BUNDLE_STAMP)
	$(BUNDLE_BIN)/python packaging/build.py bundle

## bundle-check: build the bundle, check the frozen app's smoke-test facts and demo screenshot
bundle-check: bundle
	$(SCREEN) $(BUNDLE_BIN)/python packaging/smoke_test.py dist/crmdesk/crmdesk \
		--platform offscreen --screenshot $(SHOT_PLATFORM)

## sysdeps: the Debian/Ubuntu libraries Qt needs to run offscreen and under Xvfb (as root)
sysdeps:
	sh .ci/sysdeps.sh

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
