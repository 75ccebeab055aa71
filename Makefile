# Lotse — the two commands a user needs are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
VENDOR := lotse/ui/static/vendor
DEMO_ENV := LOTSE_DEMO_MODE=1 DJANGO_SETTINGS_MODULE=lotse.settings.local
TEST_ENV := DJANGO_SETTINGS_MODULE=lotse.settings.test

.PHONY: demo serve test lint install install-dev assets messages lock check-deploy clean help

help:
	@echo "make demo   – install everything, load demo data, serve http://127.0.0.1:8000"
	@echo "make test   – run the whole test suite (PostgreSQL if DATABASE_URL is set)"
	@echo "make lint   – ruff, djlint, migrations check, translation check, mypy"

# --- Installation (idempotent; re-runs only when a lock file changes) ----------------------
$(VENV)/.base-installed: requirements/base.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/base.txt
	@touch $@

$(VENV)/.dev-installed: requirements/dev.txt $(VENV)/.base-installed
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	@touch $@

install: $(VENV)/.base-installed
install-dev: $(VENV)/.dev-installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Front-end assets from npm, copied into the static files (KERN-UX, htmx, Chart.js, and the fonts
# embedded in client PDFs: Noto Sans for Latin and Cyrillic, Vazirmatn for Arabic and Persian).
$(VENDOR)/.copied: node_modules/.installed
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/kern $(VENDOR)/htmx $(VENDOR)/chartjs $(VENDOR)/fonts
	cp node_modules/@kern-ux/native/dist/kern.min.css $(VENDOR)/kern/
	cp -r node_modules/@kern-ux/native/dist/fonts $(VENDOR)/kern/fonts
	cp node_modules/@kern-ux/native/LICENSE.md $(VENDOR)/kern/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/htmx.org/LICENSE $(VENDOR)/htmx/
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map $(VENDOR)/chartjs/
	cp node_modules/chart.js/LICENSE.md $(VENDOR)/chartjs/
	cp node_modules/@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf $(VENDOR)/fonts/NotoSans-Regular.ttf
	cp node_modules/@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf $(VENDOR)/fonts/NotoSans-Bold.ttf
	cp node_modules/@expo-google-fonts/noto-sans/LICENSE_FONT $(VENDOR)/fonts/NotoSans-OFL.txt
	cp node_modules/@expo-google-fonts/vazirmatn/400Regular/Vazirmatn_400Regular.ttf $(VENDOR)/fonts/Vazirmatn-Regular.ttf
	cp node_modules/@expo-google-fonts/vazirmatn/700Bold/Vazirmatn_700Bold.ttf $(VENDOR)/fonts/Vazirmatn-Bold.ttf
	cp node_modules/@expo-google-fonts/vazirmatn/LICENSE_FONT $(VENDOR)/fonts/Vazirmatn-OFL.txt
	@touch $@

assets: $(VENDOR)/.copied

messages: $(VENV)/.base-installed
	@$(PY) manage.py compile_translations

# --- The two commands ----------------------------------------------------------------------
demo: install assets messages
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py demo_data
	$(DEMO_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Lotse (demo) at http://127.0.0.1:8000 – demo logins: see README.md"
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# Serve again without reinstalling or reloading demo data.
serve:
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# Two workers (pytest-xdist) by default: the machine has two cores; PYTEST_WORKERS=0 runs serially.
PYTEST_WORKERS ?= 2
test: install-dev assets messages
	$(TEST_ENV) $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint lotse --lint --quiet
	$(BIN)/djlint lotse --check --quiet
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(PY) manage.py check_translations
	$(BIN)/mypy lotse

# Production settings must pass Django's deployment checks (used by the test suite too).
check-deploy: install
	DJANGO_SETTINGS_MODULE=lotse.settings.production \
	LOTSE_SECRET_KEY=$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(50))') \
	LOTSE_FIELD_ENCRYPTION_KEYS=$$($(PY) -c 'import base64,os;print(base64.urlsafe_b64encode(os.urandom(32)).decode())') \
	LOTSE_AUDIT_KEY=$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(32))') \
	LOTSE_LOOKUP_KEY=$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(32))') \
	LOTSE_ALLOWED_HOSTS=lotse.example.org LOTSE_DATABASE_URL=postgres://lotse@db.invalid:5432/lotse \
	$(PY) manage.py check --deploy --fail-level WARNING

# Regenerate the lock files from requirements/*.in.
lock: install-dev
	cd requirements && ../$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe -o base.txt base.in
	cd requirements && ../$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe -o dev.txt dev.in

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var .pytest_cache .mypy_cache .ruff_cache
