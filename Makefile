# The two commands a newcomer needs:  `make run`  and  `make test`.
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

.PHONY: install run test
install: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m assistant up

test: $(STAMP)
	$(BIN)/python -m pytest
