# muscle-convert: `make demo` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
#: MathJax as Anki ships it (version 3), for the test that renders cards with it.
MATHJAX := .cache/npm/node_modules/mathjax/es5/tex-chtml-full.js
#: ajv (JSON Schema 2020-12, strict mode), for the test that checks the shipped schemas.
AJV := .cache/npm/node_modules/ajv/dist/2020.js
#: GitHub's Actions toolkit, for the test that checks `validate --format github`.
ACTIONS_CORE := .cache/npm/node_modules/@actions/core/lib/core.js
SAMPLES := samples
OUT := out
#: apt-get as root: sudo where `make` is not run by root.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: demo test lint bench clean system-deps compiled

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

## compiled: byte-code for the project's own modules (an editable install has none, and
## with PYTHONDONTWRITEBYTECODE set every start would compile them again)
compiled: $(STAMP)
	$(BIN)/python -m compileall -q converter formats

## demo: convert samples/ into out/ in every format
demo: compiled
	$(BIN)/muscle-convert formats
	$(BIN)/muscle-convert convert $(SAMPLES) --to json -o $(OUT)/muscles.json
	$(BIN)/muscle-convert convert $(SAMPLES) --to jsonl -o $(OUT)/muscles.jsonl
	$(BIN)/muscle-convert convert $(SAMPLES) --to markdown -o $(OUT)/markdown
	$(BIN)/muscle-convert convert $(SAMPLES) --to sqlite -o $(OUT)/muscles.db
	$(BIN)/muscle-convert convert $(SAMPLES) --to csv -o $(OUT)/csv
	$(BIN)/muscle-convert convert $(SAMPLES) --to csv --flat --excel -o $(OUT)/muscles.csv
	$(BIN)/muscle-convert convert $(SAMPLES) --to svg -o $(OUT)/svg
	$(BIN)/muscle-convert convert $(SAMPLES) --to html -o $(OUT)/html
	$(BIN)/muscle-convert convert $(SAMPLES) --to anki --deck "Anatomi::Muskler" --lang da -o $(OUT)/muscles.apkg
	@echo "demo output in $(OUT)/"

## system-deps: Debian packages the tests use as real clients: Chromium (the maps), the
## sqlite3 shell, Ruby, Jekyll and Hugo (Jekyll's and Hugo's YAML readers, on the Markdown
## written), npm (MathJax, ajv, GitHub's Actions toolkit), LibreOffice Calc (the CSV tables
## as a spreadsheet opens them). Each command is its package's name; only the missing ones
## are asked for, so a machine whose Node.js came from elsewhere keeps its own npm
## (NodeSource's nodejs conflicts with Debian's npm: asking for both fails).
system-deps:
	@missing=""; \
	for command in chromium sqlite3 ruby npm hugo jekyll; do \
		command -v $$command >/dev/null || missing="$$missing $$command"; \
	done; \
	if [ -n "$$missing" ]; then \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@if ! command -v soffice >/dev/null; then \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends libreoffice-calc-nogui; \
	fi

$(MATHJAX): | system-deps
	npm install --prefix .cache/npm --no-audit --no-fund --silent mathjax@3.2.2

$(AJV): | system-deps
	npm install --prefix .cache/npm --no-audit --no-fund --silent ajv@8.20.0

$(ACTIONS_CORE): | system-deps
	npm install --prefix .cache/npm --no-audit --no-fund --silent @actions/core@3.0.1

## lint: ruff over the code, the tests and the bench
lint: $(STAMP)
	$(BIN)/ruff check converter formats tests bench

## test: the whole suite (ruff included)
test: lint system-deps $(MATHJAX) $(AJV) $(ACTIONS_CORE)
	$(BIN)/python -m pytest -q -p no:cacheprovider

## bench: speed and memory against the baselines (writes bench/RESULTS.md)
bench: compiled
	$(BIN)/python bench/run.py

clean:
	rm -rf $(OUT) $(VENV) bench/.work
