# Two commands matter: `make site` builds the site, `make test` runs every test.
# The first call creates .venv from the pinned requirements; later calls reuse it.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FINDINGS ?= findings
SITE ?= site
HOST ?= 127.0.0.1
PORT ?= 8000
# `make site DRAFT=1`: missing translations are warnings, shown as "translation pending".
DRAFT ?=
DRAFT_FLAG := $(if $(DRAFT),--draft,)
# `make translations REVIEWED="quote:q-x/translation ..."` (or REVIEWED=all) marks them reviewed.
REVIEWED ?=
REVIEWED_FLAG := $(if $(filter all,$(REVIEWED)),--mark-reviewed --all,$(if $(REVIEWED),--mark-reviewed $(REVIEWED),))
# `make check STRICT_TRANSLATIONS=1` (CI on pull requests): stale translations are errors.
STRICT_TRANSLATIONS ?=
STRICT_FLAG := $(if $(STRICT_TRANSLATIONS),--strict-translations,)

# Material prints a long MkDocs 2.0 banner on every build; it would drown real warnings.
export NO_MKDOCS_2_WARNING := 1
# Byte-identical builds: every date MkDocs writes comes from the last commit.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 315532800)

.PHONY: site test check generate serve translations lint clean distclean new bench bench-linear

site: $(VENV)/.runtime
	$(PY) -m generator build --findings $(FINDINGS) --site $(SITE) $(DRAFT_FLAG) $(STRICT_FLAG)

check: $(VENV)/.runtime
	$(PY) -m generator check --findings $(FINDINGS) $(DRAFT_FLAG) $(STRICT_FLAG)

translations: $(VENV)/.runtime
	$(PY) -m generator translations --findings $(FINDINGS) $(REVIEWED_FLAG)

generate: $(VENV)/.runtime
	$(PY) -m generator generate --findings $(FINDINGS) $(DRAFT_FLAG)

# `make new DIR=my-study SOURCE=en TRANSLATION=id`: a new study folder that builds at once.
SOURCE ?= en
TRANSLATION ?= id
new: $(VENV)/.runtime
	@test -n "$(DIR)" || { echo "usage: make new DIR=folder [SOURCE=en] [TRANSLATION=id]" >&2; exit 2; }
	$(PY) -m generator new $(DIR) --source $(SOURCE) $(foreach t,$(TRANSLATION),--translation $(t))

serve: $(VENV)/.runtime
	$(PY) -m generator serve --findings $(FINDINGS) --host $(HOST) --port $(PORT) $(DRAFT_FLAG)

test: $(VENV)/.test lint
	$(PY) -m pytest

# Benchmarks (minutes; not part of `make test`): check/generate/build time and memory at
# 100, 1,000 and 10,000 synthetic quotes, page weight in Chromium, serve edit -> reload.
bench: $(VENV)/.test
	$(PY) -m tests.bench --repeat-large 3

# 10,000 -> 30,000 quotes: does any step grow faster than the study?
bench-linear: $(VENV)/.test
	$(PY) -m tests.bench --sizes 10000,30000 --no-weight --no-serve

lint: $(VENV)/.test
	$(PY) -m ruff check generator tests
	$(PY) -m ruff format --check generator tests
	$(PY) -m mypy

clean:
	rm -rf $(SITE) build .site-* .pytest_cache .mypy_cache .ruff_cache tests/artifacts

distclean: clean
	rm -rf $(VENV)

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test: requirements-test.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@
