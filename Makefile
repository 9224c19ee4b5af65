# Two commands matter: `make run` and `make test`. Both build .venv from the two locks:
# requirements.lock (runtime) and requirements-dev.lock (lint, types, tests).
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The runtime lock as wheels: .venv installs from them, and the wheel test installs them into
# a fresh virtual environment without the network.
WHEELS := $(VENV)/wheels
PIP := $(BIN)/python -m pip --quiet --disable-pip-version-check

.PHONY: run test lint typecheck pytest bench clean

# Set-up chatter goes to stderr, so `printf '/talks\n' | make run` prints only the bot's reply.
$(STAMP): requirements.lock requirements-dev.lock pyproject.toml
	@echo "make: building $(VENV) from requirements.lock and requirements-dev.lock" >&2
	@$(PYTHON) -m venv $(VENV) >&2
	@rm -rf $(WHEELS)
	@$(PIP) wheel --wheel-dir $(WHEELS) -r requirements.lock >&2
	@$(PIP) install --no-index --find-links $(WHEELS) -r requirements.lock >&2
	@$(PIP) install -r requirements-dev.lock >&2
	@$(PIP) install --no-deps --no-build-isolation -e . >&2
	@touch $(STAMP)

run: $(STAMP)
	@$(BIN)/sitrep start

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# pytest exits 5 when it collects no test: say so plainly, and fail.
pytest: $(STAMP)
	@$(BIN)/pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "make: pytest collected no tests" >&2; exit 1; fi; \
	exit $$status

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
