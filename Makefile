# incidents: make targets a newcomer can guess.
GO      ?= go
BIN     := bin/incidents
VENV    := .venv
PY      := $(VENV)/bin/python
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
DEMO    ?= demo-out

.PHONY: all build test gotest interop venv bench serve-load demo lint fuzz clean flink-test portable-test

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/incidents

# The Python readers (pyarrow, pandas, polars, DuckDB) used by the interop
# tests live in a virtual environment made here.
$(VENV)/.stamp: interop/requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r interop/requirements.txt
	touch $@

venv: $(VENV)/.stamp

# make test: every Go test, then the interop suite that reads our files
# with the real readers.
test: gotest interop

gotest:
	$(GO) test ./...
	cd beam && $(GO) test ./...

interop: build venv
	INCIDENTS_BIN=$(abspath $(BIN)) $(PY) -m pytest -q interop

# make bench: generate an ACLED-layout input, run the Go benchmarks, then
# incidents beside DuckDB and polars on the same files; writes BENCHMARKS.md.
# Quick run: make bench BENCH_ROWS=200000. Memory at 1M vs 10M rows (slow,
# ~5 GB of disk): make bench BENCH_SCALE=1. CPU profiles (pprof -top) of the
# ingest, export and stats benchmarks in the page: make bench BENCH_PROFILE=1.
# The PostgreSQL load (bench/pg.py, a throwaway server) alone:
# make bench BENCH_ARGS=--pg-only; left out: BENCH_ARGS=--no-pg.
BENCH_ROWS  ?= 2000000
BENCH_OUT   ?= bench-out
BENCH_SCALE ?= 0
BENCH_PROFILE ?= 0
BENCH_ARGS  ?=
bench: build venv
	GO=$(GO) $(PY) bench/run.py --bin $(BIN) --go $(GO) --rows $(BENCH_ROWS) --out $(BENCH_OUT) \
	  --md BENCHMARKS.md $(if $(filter 1,$(BENCH_SCALE)),--scale) \
	  $(if $(filter 1,$(BENCH_PROFILE)),--pprof ./ingest --pprof ./export --pprof ./stats) $(BENCH_ARGS)

# make serve-load: the load test of incidents serve alone (2,000 requests,
# 50 at a time, loopback, cached and uncached); its section of BENCHMARKS.md
# is replaced. make bench runs it too (--no-serve leaves it out).
serve-load:
	GO=$(GO) python3 bench/serveload.py --go $(GO) --out $(BENCH_OUT) --md BENCHMARKS.md

demo: build
	$(BIN) demo -o $(DEMO)

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

# Each new input that widens coverage is minimized before fuzzing goes on;
# Go's default of 60 s per input kept the export fuzzers (2-4 KB seeds, a file
# written per exec) minimizing for the whole run at "0/sec" (seen with
# -fuzztime 2m: 8 execs). 5 s keeps them fuzzing: FUZZMINTIME=60s restores it.
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $${FUZZTIME:-20s} -fuzzminimizetime $${FUZZMINTIME:-5s} $$pkg || exit 1; \
	  done; \
	done

clean:
	rm -rf bin $(DEMO) $(VENV)

# The Beam pipeline on a real portable job server (beam/jobserver-test.sh):
# Flink's (the job-server jar from Maven Central, Java 17) or Prism's, SDK
# workers in loopback mode; the tests compare with incidents normalize/stats.
flink-test:
	beam/jobserver-test.sh flink

portable-test:
	beam/jobserver-test.sh prism
