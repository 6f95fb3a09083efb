# The two commands of README.md: `make run` and `make test`. Each installs what is missing.
SHELL := /bin/bash
SWIFT ?= swift
RELEASE_BIN := .build/release/atelier

.PHONY: run test deps build weights

deps:
	@Scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release --product atelier

weights: build
	@$(RELEASE_BIN) models install

run: weights
	$(RELEASE_BIN) --demo

test:
	@Scripts/install-deps.sh --test
	@Scripts/test.sh
