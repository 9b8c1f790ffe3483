# The two commands a newcomer needs: `make run` and `make test`.
# Everything they need (virtual environment, packages, database, static files,
# browser for the tests) is set up here on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
JAVA ?= /usr/bin/java
VNU_JAR := tools/vnu/node_modules/vnu-jar/build/dist/vnu.jar
STAMP := $(VENV)/.installed
# The compiled translations: one .mo per language's .po, rebuilt when it changes.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

# A local run over plain HTTP: production settings with HTTPS enforcement off.
RUN_ENV = DJANGO_SECRET_KEY="$$(cat .secret-key)" SUBMISSIONS_KEYS="$$(cat .submissions-key)" \
	DJANGO_HTTPS=false \
	DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost

.PHONY: run dev test lint format check-deploy browser java vnu lhc-forms lighthouse clean \
	compilemessages messages bench wrk haproxy test-scale

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "Python 3.11 is needed; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# A secret made once on this machine and kept out of git (.gitignore).
.secret-key:
	@umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

# The key that encrypts answers sent to clinics, made once on this machine and
# kept out of git (.gitignore). Losing it makes stored submissions unreadable.
.submissions-key:
	@umask 077 && $(PYTHON) -c 'import base64, secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())' > $@

# Compiled with Babel (a Python package), so neither running nor testing the
# site needs Debian's gettext. The .mo files are kept out of git.
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(STAMP)
	$(BIN)/pybabel compile --domain django --input-file $< --output-file $@

compilemessages: $(MO_FILES)

# For developers changing wording: gathers every marked string into each
# language's .po (Django's makemessages, which needs GNU gettext's tools).
messages: $(STAMP)
	@command -v xgettext >/dev/null || \
		tools/install-or-stop gettext "makemessages needs GNU gettext"
	DJANGO_DEBUG=true $(BIN)/python manage.py makemessages --all --no-location --no-obsolete \
		--ignore=.venv --ignore=tools --ignore=tests --ignore=staticfiles --ignore=node_modules

run: $(STAMP) .secret-key .submissions-key compilemessages
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "iontoinfo on http://127.0.0.1:$(PORT)/"
	$(RUN_ENV) $(BIN)/gunicorn iontoinfo.wsgi -c deploy/gunicorn.conf.py --bind 127.0.0.1:$(PORT) \
		--access-logfile - \
		--access-logformat '"%(m)s %(U)s" %(s)s %(B)s %(L)ss'

dev: $(STAMP) compilemessages
	DJANGO_DEBUG=true $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Browser tests need Chromium; install it where we can, else say why we stop.
browser:
	@[ -x "$(CHROMIUM)" ] || tools/install-or-stop chromium \
		"The browser tests need Chromium at $(CHROMIUM)" "or set CHROMIUM=/path/to/chromium"

# The HTML check runs the Nu HTML Checker (vnu.jar) with this machine's Java.
java:
	@[ -x "$(JAVA)" ] || tools/install-or-stop default-jre-headless \
		"The HTML check needs Java at $(JAVA)" "or set JAVA=/path/to/java"

# vnu.jar from npm, at the version pinned in tools/vnu/package-lock.json.
# --ignore-scripts: the package's install script would fetch a Java runtime;
# we use the system's.
$(VNU_JAR): tools/vnu/package.json tools/vnu/package-lock.json
	@command -v npm >/dev/null || tools/install-or-stop "nodejs npm" "The HTML checker is installed with npm"
	cd tools/vnu && npm ci --ignore-scripts --no-audit --no-fund --silent
	touch $@

vnu: java $(VNU_JAR)

# LHC-Forms, NLM's FHIR forms renderer, at the version package-lock.json pins:
# tests/test_fhir_lhc_forms.py loads the screener's Questionnaire in it.
LHC_FORMS := tools/lhc-forms
lhc-forms: $(LHC_FORMS)/node_modules/.installed

$(LHC_FORMS)/node_modules/.installed: $(LHC_FORMS)/package.json $(LHC_FORMS)/package-lock.json $(LHC_FORMS)/.npmrc
	@command -v npm >/dev/null || tools/install-or-stop "nodejs npm" \
		"The LHC-Forms test needs npm (Node.js 18.20 or newer)"
	cd $(LHC_FORMS) && npm ci --no-audit --no-fund --silent
	touch $@

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The production settings must pass Django's deployment checklist.
check-deploy: $(STAMP)
	DJANGO_SECRET_KEY="$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	SUBMISSIONS_KEYS="$$($(PYTHON) -c 'import base64, secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())')" \
	DJANGO_ALLOWED_HOSTS=iontoinfo.example \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

test: $(STAMP) compilemessages browser vnu lhc-forms wrk lint check-deploy
	DJANGO_DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run
	CHROMIUM=$(CHROMIUM) JAVA=$(JAVA) $(BIN)/pytest

# HAProxy in front of two app servers, for `make test-scale`: Debian's haproxy.
haproxy:
	@command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || \
		tools/install-or-stop haproxy "make test-scale needs HAProxy"

# Two app servers sharing PostgreSQL and Redis behind HAProxy (deploy/haproxy.cfg),
# and a database that hangs. Needs DATABASE_URL (PostgreSQL) and REDIS_URL; by
# default the local ones at 127.0.0.1. Fails, never skips, when they are missing.
test-scale: $(STAMP) compilemessages .submissions-key haproxy
	IONTOINFO_TEST_SCALE=1 $(BIN)/pytest tests/scale -p no:cacheprovider

# The load generator for `make bench`: Debian's wrk.
wrk:
	@command -v wrk >/dev/null || tools/install-or-stop wrk "The benchmark needs wrk"

# The site as `make run` serves it, on a port of its own, under 16 connections:
# prints the table and writes it to docs/benchmark.md (BENCH_SECONDS a row).
bench: $(STAMP) compilemessages .secret-key .submissions-key wrk
	$(BIN)/python tools/bench/bench.py

lighthouse: $(STAMP) compilemessages browser .secret-key .submissions-key
	CHROMIUM=$(CHROMIUM) tools/lighthouse/run

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .hypothesis tools/vnu/node_modules \
		$(LHC_FORMS)/node_modules $(MO_FILES)
