# Hashi: `make run` to try it, `make test` to check it. Both set everything up first.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: fuzz run test test-sqlite test-postgres lint format setup db content demo translations translations-update fonts browser bench clean

run: setup fonts db content demo
	@echo "Hashi is starting on http://$(HOST):$(PORT) (Ctrl+C stops it)"
	$(FLASK) run --host $(HOST) --port $(PORT)

# Everything `make run` needs, then the whole suite on SQLite and on PostgreSQL.
test: setup browser test-sqlite test-postgres

test-sqlite: setup
	$(BIN)/python -m pytest

test-postgres: setup
	@if $(BIN)/python scripts/postgres_ready.py "$(TEST_POSTGRES_URL)"; then \
		echo "Running the suite again on PostgreSQL ($(TEST_POSTGRES_URL))"; \
		DATABASE_URL="$(TEST_POSTGRES_URL)" $(BIN)/python -m pytest; \
	elif [ -n "$$HASHI_REQUIRE_POSTGRES" ]; then \
		echo "PostgreSQL is required (HASHI_REQUIRE_POSTGRES) but does not answer at $(TEST_POSTGRES_URL)"; exit 1; \
	else \
		echo "SKIPPED the PostgreSQL run: nothing answers at $(TEST_POSTGRES_URL) (set TEST_POSTGRES_URL to use another server)"; \
	fi

setup: $(VENV)/.installed translations

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

db: setup
	$(FLASK) db upgrade

demo: db
	$(FLASK) demo load

# Check the lesson and item files, then load them (all or nothing).
content: db
	$(FLASK) content load

# Compile the committed .po catalogues into the .mo files Flask-Babel reads.
translations: $(VENV)/.installed
	@$(BIN)/pybabel -q compile -d app/translations

# After adding or changing UI strings: refresh the catalogues, then translate the new ones.
translations-update: setup
	$(BIN)/pybabel -q extract --sort-by-file --project Hashi -F babel.cfg -k _l -o app/translations/messages.pot .
	$(BIN)/pybabel -q update -i app/translations/messages.pot -d app/translations

# IPAex Gothic: a TrueType (glyf) Japanese font reportlab can embed in certificate PDFs.
PDF_FONT := fonts-ipaexfont-gothic

fonts:
	@bash scripts/ensure_packages.sh $(PDF_FONT)

# Debian's Chromium and the Japanese and Urdu fonts the browser tests need.
browser:
	@bash scripts/ensure_packages.sh chromium fonts-noto-cjk fonts-noto-core $(PDF_FONT)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# schemathesis against the live API (also in `make test`, with fewer examples).
fuzz: setup
	HASHI_FUZZ_EXAMPLES=$${HASHI_FUZZ_EXAMPLES:-60} HASHI_FUZZ_SECONDS=$${HASHI_FUZZ_SECONDS:-300} \
		$(BIN)/python -m pytest -q tests/test_api_fuzz.py

# Grading speed per kind against fugashi alone, speech real-time factor, engine memory.
bench: setup
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) instance tests/screenshots
