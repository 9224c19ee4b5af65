# Two commands matter: `make run` and `make test`. Both build .venv from requirements.lock.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest bench clean

# Set-up chatter goes to stderr, so `printf '/talks\n' | make run` prints only the bot's reply.
$(STAMP): requirements.lock pyproject.toml
	@echo "make: building $(VENV) from requirements.lock" >&2
	@$(PYTHON) -m venv $(VENV) >&2
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock >&2
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps \
		--no-build-isolation -e . >&2
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
