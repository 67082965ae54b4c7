# The two commands:  `make book`  (set up + build the site)  and  `make test`  (set up + run everything).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
RELEASES := book/assignments/student/.released
# The book's matrices are small: one BLAS thread per process is faster than two fighting over 2 cores.
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1

.PHONY: setup book test browser grader-tools pytest clean help bench

help:
	@echo "make book   - set up .venv (first time) and build the site into _build/html"
	@echo "make test   - set up if needed, build the site, and run every test (what CI runs)"
	@echo "make clean  - remove build outputs (keeps .venv)"
	@echo "make bench  - throughput benchmarks (installs the pinned PyTorch of benchmarks/requirements.txt first)"

$(STAMP): requirements.txt pyproject.toml grader/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m pip install --quiet --no-deps -e grader
	touch $(STAMP)

setup: $(STAMP)

# Builds with every chapter executed; re-executes all chapters when nnlib changed (see the script).
book: setup $(RELEASES)
	$(PY) scripts/build_book.py

# Student versions of the assignments, linked from the book; regenerated only when the course changes.
$(RELEASES): $(STAMP) scripts/release_assignments.py exercises/nbgrader_config.py $(wildcard exercises/source/*/*.ipynb)
	$(PY) scripts/release_assignments.py
	touch $@

browser:
	@bash scripts/ensure-debian-package.sh $${CHROMIUM:-/usr/bin/chromium} chromium "the browser tests"

# The sandboxed grader's tests need bubblewrap and a PostgreSQL 15 server binary.
grader-tools:
	@bash scripts/ensure-debian-package.sh bwrap bubblewrap "the sandboxed grader's tests"
	@bash scripts/ensure-debian-package.sh $${PGBIN:-/usr/lib/postgresql/15/bin}/initdb postgresql-15 "the PostgreSQL gradebook tests"

pytest: setup
	$(PY) -m pytest

test: setup browser grader-tools book pytest

clean:
	rm -rf _build book/assignments/student

# Benchmarks only: PyTorch (pinned in benchmarks/requirements.txt) goes into .venv on first use, never for book/test.
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): benchmarks/requirements.txt | $(STAMP)
	$(PY) -m pip install --quiet -r benchmarks/requirements.txt
	touch $@

bench: setup $(BENCH_STAMP)
	$(PY) benchmarks/bench_training.py
	$(PY) benchmarks/bench_pytorch.py
	$(PY) benchmarks/bench_word2vec.py
	$(PY) benchmarks/bench_grading.py
