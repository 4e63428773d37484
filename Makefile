# Digital Service Trade in the Age of AI — China and RCEP
#   make book                      build the whole book into _build/html (creates .venv on first use)
#   make book ARGS="--params editions/korea.yml"   build the edition a YAML file describes
#   make test                      every test: lint, unit, nbval, book build, browser, fault injection
#   make chapter NAME=china_scale ARGS="-p country KOR"   change one chapter's parameters, rebuild
#   make data                      regenerate data/ from ../shared/data/raw (deterministic)
#   make notebooks                 refresh the outputs committed in chapters/*.ipynb (default parameters)
#   make lock                      recompile requirements.lock from requirements.txt (needs the registry)
#   make bench                     build benchmark -> bench/results.json
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
LOCK_TOOL := .cache/lock-tool
UV_VERSION := 0.13.8
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check

.PHONY: book test chapter data notebooks bench clean venv unit nbval integration toc lock axe lint

venv: $(STAMP)

# The whole environment from the lock (every transitive package, hashes checked), then this project alone.
$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) --require-hashes -r requirements.lock
	$(PIP) --no-deps --no-build-isolation -e .
	@touch $(STAMP)

# requirements.txt (direct dependencies, edited by hand) -> requirements.lock (Python 3.11, Linux x86_64).
lock:
	@test -x $(LOCK_TOOL)/bin/uv || { $(PYTHON) -m venv $(LOCK_TOOL) && $(LOCK_TOOL)/bin/python -m pip install --quiet uv==$(UV_VERSION); }
	$(LOCK_TOOL)/bin/uv pip compile requirements.txt --generate-hashes --python-version 3.11 \
	  --python-platform x86_64-unknown-linux-gnu --emit-index-url --no-header --quiet -o requirements.lock.new
	@{ echo "# The whole environment, every transitive package pinned with hashes (Python 3.11, Linux x86_64)."; \
	   echo "# Generated from requirements.txt by \`make lock\` (uv pip compile --generate-hashes); do not edit by hand."; \
	   echo "# Installed by \`make venv\`: pip install --require-hashes -r requirements.lock, then the project with --no-deps."; \
	   cat requirements.lock.new; } > requirements.lock && rm requirements.lock.new

book: $(STAMP)
	$(BIN)/python -m helpers.build book $(ARGS)

chapter: $(STAMP)
	@test -n "$(NAME)" || { echo 'usage: make chapter NAME=<chapter> ARGS="-p name value ..."'; exit 2; }
	$(BIN)/python -m helpers.build chapter $(NAME) $(ARGS)

data: $(STAMP)
	$(BIN)/python -m helpers.data.curate $(ARGS)

toc: $(STAMP)
	$(BIN)/python -c "from helpers import registry; open('_toc.yml', 'w').write(registry.toc_yaml())"

notebooks: $(STAMP)
	$(BIN)/python -m helpers.build notebooks $(ARGS)

# ruff: lint rules and formatting as configured in pyproject.toml ([tool.ruff])
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

unit: $(STAMP)
	$(BIN)/python -m pytest -q tests/unit

nbval: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider --nbval --nbval-current-env \
	  --nbval-sanitize-with tests/nbval_sanitize.cfg -n 2 --dist loadscope chapters/

# axe-core (npm registry, pinned in package-lock.json) for the browser test; never shipped in the book
AXE := node_modules/axe-core/axe.min.js
axe: $(AXE)

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(AXE)

integration: $(STAMP) $(AXE)
	$(BIN)/python -m helpers.build book
	$(BIN)/python -m pytest -q tests/integration

test: lint unit nbval integration

bench: $(STAMP)
	$(BIN)/python bench/run.py $(ARGS)

clean:
	rm -rf _build .cache
