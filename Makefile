# CloudMastersHub — the two commands are `make run` and `make test`; the rest serve them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || echo python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
empty :=
space := $(empty) $(empty)
# Every package's src/ is a source root (as in pants.toml): no install step per package.
# So is its testing/ (the cmh_testing.<context> harness), which production code never imports.
# apps/web/src is the web client's TypeScript, not a Python source root.
PY_APPS := $(filter-out apps/web/src,$(wildcard apps/*/src))
SRC_ROOTS := $(wildcard packages/*/src) $(wildcard packages/*/testing) $(PY_APPS) contracts/src .
export PYTHONPATH := $(subst $(space),:,$(SRC_ROOTS))
PYTEST_ARGS ?=

.PHONY: help venv docs-assets run test test-fast infra-up infra-down bench lint contracts contracts-check pants-test pants-check pants-lint pants-package clean

help:
	@echo "make run         the whole platform in one process on http://127.0.0.1:$(PORT) (SQLite, in-process bus, demo data)"
	@echo "make test        real servers + the distributed profile, then every test (infra/test.sh)"
	@echo "make test-fast   unit and in-memory tests only (no servers)"
	@echo "make test-browser   the web client's journeys in Debian's Chromium (tests/browser)"
	@echo "make infra-up | infra-down   start/stop the real local servers (infra/local)"
	@echo "make bench       benchmarks, each against a baseline measured in the same run"
	@echo "make chaos       on a private stack: Kafka outage recovery times; 25 seeded kills under load (nothing lost or doubled); a rolling restart"
	@echo "make fuzz        schemathesis over every operation, 200 examples each (25 in make test),"
	@echo "                 embedded and, with make up-distributed running, through the gateway"
	@echo "make lint        ruff check and format --check, mypy (strict on domain/application) and import-linter layer contracts"
	@echo "make contracts   rewrite the JSON Schema snapshots of contracts/ (refuses breaking changes)"
	@echo "make contracts-check   fail on a missing, stale, retired or backward-incompatible snapshot"
	@echo "make map        regenerate the integration map (contracts/integration-map.md) and the Istio policy from the code"
	@echo "make validate-manifests   Kubernetes (base and overlays, Istio objects against Istio's CRD schemas) and compose, offline"
	@echo "make pacts      rerun the Pact consumer tests and rewrite the committed pacts (contracts/pacts)"
	@echo "make dashboards regenerate the Grafana dashboards and their ConfigMaps (infra/observability)"
	@echo "make pants-test | pants-lint | pants-check | pants-package   the same through Pants"
	@echo "make admin ARGS='dlq list'   the operators' CLI (cmh-admin): dead letters and replay"
	@echo "make backup [TO=dir] | restore FROM=dir [SUFFIX=_x]   every store of both profiles (infra/backup)"

$(VENV)/.installed: pyproject.toml
	@echo "==> creating $(VENV) with $(PYTHON) and installing pyproject.toml's requirements"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	@$(BIN)/uv pip install --quiet --python $(BIN)/python -r pyproject.toml --extra dev
	@touch $@

venv: $(VENV)/.installed docs-assets

# The API docs pages' scripts and styles, from npm at pinned versions (served by the apps).
docs-assets:
	@bash build-support/docs-assets/fetch.sh

# The web client is built first (cached); without Node.js the API still starts, and says so.
run: venv
	@bash apps/web/build.sh || echo "==> the web client is not built (see above): the API starts without it; fix that, then: bash apps/web/build.sh"
	@PORT=$(PORT) $(BIN)/python -m cmh.apps.platform.main

# The operators' CLI against the local servers, e.g. make admin ARGS="dlq show users.user.dlq".
.PHONY: admin
admin: venv
	@$(BIN)/python -m cmh.apps.admin $(ARGS)

infra-up:
	@bash infra/local/up.sh

infra-down:
	@bash infra/local/down.sh

test: venv
	@bash infra/test.sh $(PYTEST_ARGS)

test-fast: venv
	@$(BIN)/python -m pytest packages contracts apps tests -m "not integration and not distributed and not browser" $(PYTEST_ARGS)

# The browser journeys alone (Debian's Chromium driven by Playwright; builds apps/web first).
.PHONY: test-browser
test-browser: venv
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)
	@$(BIN)/python -m pytest tests/browser $(PYTEST_ARGS)

# wrk and hey (native load generators, Debian packages) on one core, the servers on the other.
bench: venv infra-up
	@command -v wrk >/dev/null && command -v hey >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk hey >/dev/null)
	@set -a && source infra/local/env.sh && set +a && $(BIN)/python -m tests.perf.bench

# Kills its own broker and worker (never the shared servers), then restarts every API
# instance and the worker of a private stack under load; about 15 minutes.
.PHONY: chaos
chaos: venv infra-up
	@set -a && source infra/local/env.sh && set +a && $(BIN)/python -m tests.chaos.availability
	@set -a && source infra/local/env.sh && set +a && $(BIN)/python -m pytest -q -s -m long tests/chaos

# The long form of the schemathesis run: 200 examples per operation (25 in make test), over
# the embedded platform and, when the distributed profile runs (make up-distributed),
# through its gateway (a second gateway of the profile's, with rate limits of its own).
.PHONY: fuzz
fuzz: venv
	@set -a && source infra/local/env.sh && source infra/distributed/env.sh && set +a && \
		CMH_FUZZ_EXAMPLES=200 $(BIN)/python -m pytest -q -s tests/fuzz

lint: venv
	@$(BIN)/ruff check packages contracts apps tests
	@$(BIN)/ruff format --check packages contracts apps tests
	@MYPYPATH=$(PYTHONPATH) $(BIN)/mypy $(wildcard packages/*/src) $(wildcard packages/*/testing) contracts/src $(PY_APPS) tests infra/local
	@$(BIN)/lint-imports

# The snapshots under contracts/schemas (make test runs the check as a test too).
contracts: venv
	@$(BIN)/python -m cmh.contracts.snapshots write

contracts-check: venv
	@$(BIN)/python -m cmh.contracts.snapshots check

# Grafana dashboards and the ConfigMaps of infra/k8s/base/observability, from the code
# (tests/observability/test_dashboards.py fails when they are stale).
.PHONY: dashboards
dashboards: venv
	@$(BIN)/python infra/observability/dashboards.py write

# contracts/integration-map.md from the code (tests/contract/test_integration_map.py checks it
# against the code and the seed's tables), and the Istio overlay's policy from that map
# (tests/contract/test_mesh_policy.py checks it).
.PHONY: map pacts
map: venv
	@$(BIN)/python -m tests.contract.integration_map write
	@$(BIN)/python -m tests.contract.mesh_policy write

# The consumers' pacts, rewritten from their consumer tests (make test fails on a stale one).
pacts: venv
	@CMH_PACT_WRITE=1 $(BIN)/python -m pytest -q tests/contract/test_pact_consumers.py

pants-test:
	@set -a && source infra/local/env.sh && set +a && ./pants test ::

pants-lint:
	@./pants lint ::

pants-check:
	@./pants check ::

pants-package: docs-assets
	@./pants package --filter-target-type=pex_binary ::

clean:
	rm -rf dist .pants.d .pytest_cache .mypy_cache .ruff_cache .data

# ---- distributed profile: every app in its own process (infra/distributed/README.md)
.PHONY: up-distributed down validate-manifests

up-distributed: docs-assets
	@bash apps/web/build.sh || echo "==> the web client is not built (see above): the gateway serves the API only"
	@bash infra/distributed/up.sh

down:
	@bash infra/distributed/down.sh

validate-manifests:
	@bash infra/k8s/validate.sh

# ---- backups of every store (infra/backup/backup.py: pg_dump, MongoDB-wire export, SQLite, media)
.PHONY: backup restore

backup: venv
	@$(BIN)/python infra/backup/backup.py backup $(if $(TO),--to $(TO))

restore: venv
	@test -n "$(FROM)" || { echo "make restore FROM=.backups/<time> [SUFFIX=_copy]"; exit 2; }
	@$(BIN)/python infra/backup/backup.py restore $(FROM) $(if $(SUFFIX),--suffix $(SUFFIX))
