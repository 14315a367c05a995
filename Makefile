# r2k: `make report` builds the report, `make test` runs the tests. Both create .venv on first use.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# Local CSVs to import before the report; empty means fetch live data (connected machine).
DATA   ?= $(if $(wildcard ../shared/data),../shared/data,)
OUT    ?= reports/r2k-report.html
STAMP  := $(VENV)/.installed

.PHONY: install report test bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e ".[dev]"
	touch $(STAMP)

report: install
ifneq ($(strip $(DATA)),)
	$(BIN)/r2k data import $(DATA)
else
	$(BIN)/r2k data fetch
endif
	$(BIN)/r2k report --out $(OUT)

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/bench_import.py

clean:
	rm -rf $(VENV) reports .pytest_cache
