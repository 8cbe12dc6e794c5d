# Concord: `make run` serves the site with worker and beat; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1:8000

.PHONY: install messages shapes run test lint migrate demo worker beat clean backup restore bench

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

var:
	mkdir -p var/broker/queue var/broker/processed var/broker/control var/outbox

# The Chinese catalogues, compiled from their .po files: the .mo files are not committed.
messages: install
	@ops/provision.sh gettext
	$(MANAGE) compilemessages --ignore .venv --ignore var -v 0

# The map's country shapes (Natural Earth via npm's world-atlas) into var/npm, not committed.
WORLD_ATLAS := world-atlas@2.0.2
SHAPES := var/npm/node_modules/world-atlas/countries-110m.json
$(SHAPES):
	@if command -v npm >/dev/null; then npm install --silent --no-audit --no-fund --prefix var/npm $(WORLD_ATLAS); \
	else echo "npm is missing: the map page will show its tables only (apt-get install npm)"; fi

shapes: $(SHAPES)

migrate: messages var shapes
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) seed_demo
	$(MANAGE) seed_demo_subscriptions

# The site, a Celery worker and beat together; Ctrl-C (or TERM) stops all three (ops/serve.sh).
run: demo
	@echo "Concord at http://$(HOST)/ (admin at /admin/); Ctrl-C stops the site, worker and beat."
	@BIN=$(BIN) exec ops/serve.sh $(HOST)

worker: install var
	$(BIN)/celery -A config worker --loglevel INFO

beat: install var
	$(BIN)/celery -A config beat --loglevel INFO

# Installs Chromium and nginx, starts Redis and PostgreSQL when it may and they are missing or
# down, lets PostgreSQL feed a local streaming replica, and says which database the tests use
# (ops/provision.sh); then the whole suite.
test: messages var
	@ops/provision.sh npm
	@$(MAKE) --no-print-directory shapes
	@ops/provision.sh chromium redis nginx database replication -- $(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

# PostgreSQL only: the database in DATABASE_URL and the cluster's roles, into var/backups/<time>/.
backup:
	ops/backup.sh

# make restore BACKUP=var/backups/<time> TARGET=<new database name> (on DATABASE_URL's server)
restore:
	@test -n "$(BACKUP)" -a -n "$(TARGET)" || { echo "usage: make restore BACKUP=var/backups/<time> TARGET=<new database>"; exit 2; }
	ops/restore.sh "$(BACKUP)" "$(TARGET)"

# Concord against its floors (PostgreSQL, gunicorn, wrk, PostgREST 12); writes docs/performance.md.
# Not part of `make test`. Both sizes (BENCH_SIZES="100000 1000000"), about 25 minutes with
# BENCH_REUSE=1 keeping their data; every setting is in bench/run.py (`python bench/run.py --help`).
bench: install var
	$(BIN)/python bench/run.py

clean:
	rm -rf var .pytest_cache .ruff_cache
