# The two commands:  `make book`  (set up + build the site)  and  `make test`  (set up + run everything).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
JB     := $(VENV)/bin/jupyter-book
STAMP  := $(VENV)/.installed
# JB1's execution cache only notices changes to a page's own source; key it on nnlib as well.
NNLIB_HASH = $(shell cat nnlib/*.py | sha256sum | cut -c1-16)

.PHONY: setup book test browser pytest clean help

help:
	@echo "make book   - set up .venv (first time) and build the site into _build/html"
	@echo "make test   - set up if needed, build the site, and run every test (what CI runs)"
	@echo "make clean  - remove build outputs (keeps .venv)"

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

book: setup
	@if [ "$$(cat _build/.nnlib-hash 2>/dev/null)" != "$(NNLIB_HASH)" ]; then \
		echo "nnlib changed since the last build: re-executing every chapter"; \
		rm -rf _build/.jupyter_cache _build/.doctrees _build/html; fi
	$(JB) build . --warningiserror --keep-going
	@echo "$(NNLIB_HASH)" > _build/.nnlib-hash
	@echo "The site is at file://$(CURDIR)/_build/html/index.html"

browser:
	@bash scripts/ensure-chromium.sh

pytest: setup
	$(PY) -m pytest

test: setup browser book pytest

clean:
	rm -rf _build
