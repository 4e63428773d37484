# Digital Service Trade in the Age of AI — China and RCEP
#   make book                      build the whole book into _build/html (creates .venv on first use)
#   make test                      every test: unit, nbval, book build, browser, fault injection
#   make chapter NAME=china_scale ARGS="-p country KOR"   re-run one chapter with parameters, rebuild
#   make data                      regenerate data/ from ../shared/data/raw (deterministic)
#   make notebooks                 refresh the outputs committed in chapters/*.ipynb (default parameters)
#   make bench                     build benchmark -> bench/results.json
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed

.PHONY: book test chapter data notebooks bench clean venv unit nbval integration toc axe

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

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
	$(BIN)/python -m helpers.build notebooks

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

test: unit nbval integration

bench: $(STAMP)
	$(BIN)/python bench/run.py $(ARGS)

clean:
	rm -rf _build .cache
