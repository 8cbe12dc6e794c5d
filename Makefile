# Concord: `make run` serves the site with worker and beat; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1:8000

.PHONY: install run test lint migrate demo worker beat clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

var:
	mkdir -p var/broker/queue var/broker/processed var/outbox

migrate: install var
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) seed_demo

# The site, a Celery worker and beat together; Ctrl-C stops all three.
run: demo
	@echo "Concord at http://$(HOST)/ (admin at /admin/); Ctrl-C stops the site, worker and beat."
	@trap 'kill 0' INT TERM EXIT; \
	$(BIN)/celery -A config worker --loglevel INFO --concurrency 2 & \
	$(BIN)/celery -A config beat --loglevel INFO & \
	$(MANAGE) runserver $(HOST)

worker: install var
	$(BIN)/celery -A config worker --loglevel INFO

beat: install var
	$(BIN)/celery -A config beat --loglevel INFO

test: install var
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

clean:
	rm -rf var .pytest_cache .ruff_cache
