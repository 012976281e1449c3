# Gridworker: `make run` opens the app on the demo city, `make test` runs the whole suite headless.
# Both create the virtual environment first if it is missing or older than pyproject.toml.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TS     := $(wildcard resources/translations/*.ts)
QM     := $(TS:.ts=.qm)
BENCH_OUT ?= tests/bench/results.json

.PHONY: run run-supervisor test bench lint typecheck translations ts system-deps installer clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Gridworker needs Python 3.11 or newer; $(PYTHON) is " + sys.version.split()[0])'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,server]'
	touch $(STAMP)

system-deps:
	@sh packaging/ensure-system-deps.sh

resources/translations/%.qm: resources/translations/%.ts $(STAMP)
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

translations: $(QM)

# Re-extract the source strings into the Chinese .ts file (then translate the new entries). The English
# file holds only the plural forms (English falls back to the source text) and is edited by hand:
# PySide6 6.11's lupdate takes a plural for a plain message when its count is a variable.
ts: $(STAMP)
	$(VENV)/bin/pyside6-lupdate -extensions py -no-obsolete $$(git ls-files 'gridworker/*.py' 'sync/*.py') \
		-ts resources/translations/gridworker_zh_CN.ts

run: $(STAMP) translations
	@sh packaging/ensure-system-deps.sh display
	$(PY) -m gridworker --demo

# The demo as the street's supervisor: the review workspace (queue, back-checks) instead of Today.
run-supervisor: $(STAMP) translations
	@sh packaging/ensure-system-deps.sh display
	$(PY) -m gridworker --demo --demo-user supervisor

lint: $(STAMP)
	$(VENV)/bin/ruff check gridworker sync tests packaging
	$(VENV)/bin/ruff format --check gridworker sync tests packaging

typecheck: $(STAMP)
	$(VENV)/bin/mypy

test: $(STAMP) system-deps translations lint typecheck
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m 'not bench' -p xdist -n 2 --timeout 600 --timeout-method thread --durations 20 tests

bench: $(STAMP) system-deps translations
	QT_QPA_PLATFORM=offscreen BENCH_OUT=$(BENCH_OUT) $(PY) -m pytest -m bench tests/bench -q -s

installer: $(STAMP) translations
	$(PY) -m pip install --quiet 'pyinstaller>=6.5'
	$(VENV)/bin/pyinstaller --noconfirm --distpath dist --workpath build packaging/gridworker.spec
	QT_QPA_PLATFORM=offscreen dist/gridworker/gridworker --smoke-test --data-dir "$$(mktemp -d)"
	du -sh dist/gridworker

clean:
	rm -rf build dist $(QM) .mypy_cache .ruff_cache
