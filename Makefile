# The two commands of README.md: `make run` and `make test`. Each installs what is missing.
SHELL := /bin/bash
SWIFT ?= swift
RELEASE_BIN := .build/release/atelier

.PHONY: run test deps build weights fuzz install

# `make install PREFIX=DIR`: the binary in DIR/bin, its data (Resources, Styles, Themes) in DIR/share/atelier.
PREFIX ?= /usr/local

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

# Every libFuzzer target in Fuzz/Targets for FUZZ_SECONDS each (default 30); see Fuzz/fuzz.sh.
FUZZ_SECONDS ?= 30
fuzz: deps
	@Fuzz/fuzz.sh $(FUZZ_SECONDS)

install: build
	install -D -m 755 $(RELEASE_BIN) $(DESTDIR)$(PREFIX)/bin/atelier
	mkdir -p $(DESTDIR)$(PREFIX)/share/atelier
	cp -R Resources Styles Themes $(DESTDIR)$(PREFIX)/share/atelier/
