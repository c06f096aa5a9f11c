# altosdn — every target is one line; `make help` lists them.
GO      ?= go
BIN     := bin
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
STATICCHECK := $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: all build run test test-short bench fuzz vet lint fmt fmt-check tidy-check clean help

all: fmt-check vet test build                                       ## what CI runs
build:      ; $(GO) build -ldflags "$(LDFLAGS)" -o $(BIN)/ ./cmd/... ## build bin/altod and bin/altoctl
run: build  ; $(BIN)/altod -config deploy/config/altod.example.yaml ## serve the built-in demo network on :8080
test:       ; $(GO) test -race -count=1 ./...                       ## all tests, with the race detector
test-short: ; $(GO) test -short ./...                               ## unit tests only
bench:      ; $(GO) test -run '^$$' -bench . -benchmem -cpu 1 ./...  ## benchmarks, on one core
fuzz:       ; for f in FuzzParseNative FuzzParseRepetita FuzzParseGraphML FuzzParseSNDlib; do $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime 20s ./collectors/static || exit 1; done ## fuzz the parsers
vet:        ; $(GO) vet ./...                                       ## go vet
lint: vet   ; $(STATICCHECK) ./...                                  ## go vet and staticcheck
fmt:        ; gofmt -s -w .                                         ## format the code
fmt-check:  ; @test -z "$$(gofmt -s -l . | tee /dev/stderr)"        ## fail on unformatted code
tidy-check: ; $(GO) mod tidy -diff                                  ## fail when go.mod/go.sum are untidy
clean:      ; rm -rf $(BIN)                                         ## remove build output
help:       ; @grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'
