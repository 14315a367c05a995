# r2k: `make report` builds the report, `make test` runs the tests. Both create .venv on first use.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# Local CSVs to import before the report; empty means fetch live data (connected machine).
DATA   ?= $(if $(wildcard ../shared/data),../shared/data,)
OUT    ?= reports/r2k-report.html
STAMP  := $(VENV)/.installed
EMBEDDINGS_STAMP := $(VENV)/.installed-embeddings
HEADLINES := $(wildcard $(DATA)/text/news_headlines.csv)

.PHONY: install install-embeddings install-browser report test test-all bench clean

# Bytecode is compiled at install time: where PYTHONDONTWRITEBYTECODE is set, every command would
# otherwise recompile pandas/scipy/arch from source (measured: `r2k analyze` 6.0 s cold vs 2.5 s).

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e ".[dev,scale]"
	$(BIN)/python -m compileall -q src
	touch $(STAMP)

# The optional sentence-embedding scorer and the recurrent forecast member (extras embeddings, deep).
# torch must come first and exactly as 2.13.0 (the CPU wheel);
# any other spec would pull a multi-GB CUDA build.
install-embeddings: $(EMBEDDINGS_STAMP)

$(EMBEDDINGS_STAMP): $(STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check torch==2.13.0
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e ".[dev,embeddings,scale,deep]"
	touch $(EMBEDDINGS_STAMP)

# Headless Chromium for the browser tests (Debian's package; Playwright drives it, never its own download).
# Without it those tests skip and say why; this needs root and Debian's package registry.
install-browser:
	@command -v chromium >/dev/null 2>&1 || { command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] \
		&& (apt-get install -y -qq chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)) \
		|| echo "install-browser: chromium not installed (needs root and apt); the browser tests will skip"; }

report: install
ifneq ($(strip $(DATA)),)
	$(BIN)/r2k data import $(DATA)
else
	$(BIN)/r2k data fetch
endif
ifneq ($(strip $(HEADLINES)),)
	$(BIN)/r2k sentiment index $(HEADLINES) --save
endif
	$(BIN)/r2k report --out $(OUT)

# The tests cover the optional embedding scorer and the rnn member too, so they install them. `make test` leaves out
# the tests marked slow (each says why: the README's long examples as written, full reports on 39 years of data) and
# runs on two cores (pytest-xdist, one test file per worker at a time, one forecast cache shared by both);
# `make test-all` (CI) runs every test.
test: install-embeddings
	$(BIN)/python -m pytest -m "not slow" -n 2 --dist loadfile

test-all: install-embeddings
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/bench_import.py
	$(BIN)/python bench/bench_channels.py
	$(BIN)/python bench/bench_analyze.py
	$(BIN)/python bench/bench_factors.py
	$(BIN)/python bench/bench_backtest.py
	$(BIN)/python bench/bench_gbm.py
	$(BIN)/python bench/bench_sentiment.py
	$(BIN)/python bench/bench_constituents.py
	$(BIN)/python bench/bench_web.py
	$(BIN)/python bench/bench_dashboard.py --write-docs
	$(BIN)/python bench/bench_report.py
	$(BIN)/python bench/bench_report_time.py
	$(BIN)/python bench/bench_backtest_page.py
	$(BIN)/python bench/bench_tearsheet_sections.py
	$(BIN)/python bench/outlook_track_record.py
	$(BIN)/python bench/bench_snapshot.py --compare main
	$(BIN)/python bench/bench_tests.py --compare main -- -m "not slow" -n 2 --dist loadfile

clean:
	rm -rf $(VENV) reports .pytest_cache
