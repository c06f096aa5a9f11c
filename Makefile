# altosdn — `make help` lists the targets.
GO      ?= go
BIN     := bin
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
STATICCHECK := $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2
BUF     := $(GO) run github.com/bufbuild/buf/cmd/buf@v1.75.0
FUZZ_TARGETS := FuzzParseNative FuzzParseRepetita FuzzParseGraphML FuzzParseSNDlib

.PHONY: all build run run-static test test-short bench fuzz vet lint fmt fmt-check tidy-check proto proto-check clean help

all: fmt-check vet test build ## what CI runs

build: ## build bin/altod and bin/altoctl
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN)/ ./cmd/...

run: build ## serve a live emulated demo network (BGP-LS + gNMI) on http://127.0.0.1:8080
	$(BIN)/altod -config deploy/config/demo-live.yaml

run-static: build ## serve the built-in demo network from its file, without emulation
	$(BIN)/altod -config deploy/config/altod.example.yaml

test: ## all tests, with the race detector
	$(GO) test -race -count=1 ./...

test-short: ## unit tests only
	$(GO) test -short ./...

bench: ## benchmarks, on one core
	$(GO) test -run '^$$' -bench . -benchmem -cpu 1 ./...

fuzz: ## fuzz each topology-file parser for 20s
	for f in $(FUZZ_TARGETS); do $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime 20s ./collectors/static || exit 1; done

vet: ## go vet
	$(GO) vet ./...

lint: vet ## go vet and staticcheck
	$(STATICCHECK) ./...

fmt: ## format the code
	gofmt -s -w .

fmt-check: ## fail on unformatted code
	@test -z "$$(gofmt -s -l . | tee /dev/stderr)"

tidy-check: ## fail when go.mod or go.sum is untidy
	$(GO) mod tidy -diff

proto: ## regenerate proto/alto/v1 with the plugins pinned in go.mod (local only)
	GOBIN=$(CURDIR)/$(BIN) $(GO) install tool
	cd proto && PATH="$(CURDIR)/$(BIN):$$PATH" $(BUF) generate
	cd proto && $(BUF) format -w

proto-check: proto ## fail when the generated code or the .proto formatting is stale, or buf lint fails
	cd proto && $(BUF) lint
	git diff --exit-code -- proto/
	@test -z "$$(git status --porcelain -- proto/ | grep '^??')" || { git status --porcelain -- proto/; echo "untracked files in proto/"; exit 1; }

clean: ## remove build output
	rm -rf $(BIN)

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'
