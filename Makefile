# The two commands a newcomer needs:  `make run`  and  `make test`  (CI also runs  `make lint`).
# Both create .venv on first use and install the project into it (no network beyond PyPI).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first, pinned: the CPU build lies on disk; anything else would pull CUDA.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

.PHONY: install run test lint
install: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m assistant up

test: $(STAMP)
	$(BIN)/python -m pytest

# The habits CI enforces before the tests (issue 15): lint, the formatter on every module but
# the not-yet-formatted ones listed in pyproject.toml ([tool.ruff.format] exclude), that list
# only shrinking, and the layer contracts ([tool.importlinter]: layers only point down).
PACKAGES := assistant knowledge eval ui tests bench .ci
lint: $(STAMP)
	$(BIN)/ruff check $(PACKAGES)
	$(BIN)/ruff format --check $(PACKAGES)
	$(BIN)/python .ci/format_ratchet.py
	$(BIN)/lint-imports
