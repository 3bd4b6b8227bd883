# Shield — developer commands. `make demo` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export PATH := $(abspath $(BIN)):$(PATH)

# Two workers: the suite is mostly waiting on the database and the browser (2-core machines).
# `--dist load` hands tests out in pytest-django's order, transactional (browser) tests last: a
# transactional test empties the database it ends in, so no ordinary test may run after one on
# the same worker (worksteal broke that: a worker stole ordinary tests after a browser test and
# found no provinces or border gates).
PYTEST_ARGS ?= -n 2 --dist load

.PHONY: install demo serve test test-spark test-postgres lint format lock messages clean-demo

install: $(STAMP)

$(STAMP): pyproject.toml requirements/constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e ".[dev]"
	touch $(STAMP)

# The demo runs with DEBUG off: visitors get the friendly 404/500 pages, never Django's debug page
# with the URL map; WhiteNoise still serves static files from the source tree (WHITENOISE_USE_FINDERS).
# `make demo DEBUG=True` brings the debug page back for development. scripts/demo_serve.sh runs the
# task worker (linkage runs, audit verifications) beside the server and stops both on Ctrl+C.
demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo_data --linkage-duplicates 12
	PYTHON=$(BIN)/python bash scripts/demo_serve.sh

serve: install
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The engine on a local Apache Spark (issue 13): pyspark as the [spark] extra, Java 17 from Debian.
test-spark: install
	@command -v java >/dev/null 2>&1 || { \
		if [ "$$(id -u)" -eq 0 ]; then \
			apt-get -o DPkg::Lock::Timeout=300 update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends openjdk-17-jre-headless; \
		else echo "Spark needs Java 17: sudo apt-get install openjdk-17-jre-headless" >&2; exit 1; fi; }
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e ".[spark]"
	SHIELD_TEST_SPARK=1 $(BIN)/python -m pytest -m spark shield/linkage/tests/test_spark.py

test-postgres: install
	bash scripts/with_postgres.sh $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

lock: install
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^shield' > requirements/constraints.new
	(head -2 requirements/constraints.txt; cat requirements/constraints.new) > requirements/constraints.txt.tmp
	mv requirements/constraints.txt.tmp requirements/constraints.txt && rm requirements/constraints.new

messages: install
	$(BIN)/python manage.py makemessages -l vi --no-obsolete $(foreach p,.venv/* static/* staticfiles/* node_modules/* bench/* docs/* */tests/* conftest.py,--ignore "$(p)")
	$(BIN)/python manage.py compilemessages -l vi --ignore ".venv/*"

clean-demo:
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm
