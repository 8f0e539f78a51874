# ngs: NFL Next Gen Stats-style tracking models inside PostgreSQL (PGXS build)

EXTENSION = ngs
# The version CREATE EXTENSION installs (ngs.control's default_version): ngs--1.0.sql, the
# released 1.0 script, never changes; every later change ships as an update script
# ngs--<old>--<new>.sql, which ALTER EXTENSION ngs UPDATE runs on an existing database and
# CREATE EXTENSION runs after the 1.0 script (test/shell/update.sh tests the path).
EXTVERSION = 1.2
BASEVERSION = 1.0

MODULE_big = ngs
# lib/: the PostgreSQL-free numeric core; src/<subsystem>/: the PostgreSQL glue.
LIB_SOURCES = $(sort $(wildcard lib/*.c))
GLUE_SOURCES = $(sort $(wildcard src/*/*.c))
OBJS = $(patsubst %.c,%.o,$(LIB_SOURCES) $(GLUE_SOURCES))
PG_CPPFLAGS = -Isrc -Ilib
# The installed script is the catalogue plus the shipped default models (models/).
DATA_built = build/ngs--$(BASEVERSION).sql
DATA = $(sort $(wildcard ngs--*--*.sql))
# ngs-load, the loader of the public tracking layouts (docs/drafts/load.md), installs with the
# extension into PostgreSQL's bindir.
SCRIPTS = tools/ngs-load
EXTRA_CLEAN = build $(OBJS:.o=.d)

REGRESS = setup $(filter-out setup,$(patsubst test/regress/sql/%.sql,%,$(sort $(wildcard test/regress/sql/*.sql))))
REGRESS_OPTS = --inputdir=test/regress --load-extension=ngs

# -MMD -MP: every object is rebuilt when a header it includes changes (gcc lists them in .d files)
PG_CFLAGS = -MMD -MP -O3 -Wextra -Werror -Wno-unused-parameter -Wno-sign-compare -Wno-missing-field-initializers $(SANITIZE)
SHLIB_LINK = -lm $(SANITIZE)

# Debian's PostgreSQL 15 unless PG_CONFIG names another installation (any major from 15 to
# 18; src/common/pg_compat.h holds what differs). PGXS is included only once it is installed,
# so that 'make test' and 'make demo' can install it first on a fresh machine.
PG_CONFIG ?= /usr/lib/postgresql/15/bin/pg_config
export PG_CONFIG
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(PGXS),)
include $(PGXS)
# Objects built for another major are removed, so that they are built again for this one
# (a prerequisite cannot do it: PGXS marks every target .SECONDARY).
ifneq ($(shell cat build/pg-major 2>/dev/null),$(MAJORVERSION))
$(shell rm -f $(OBJS) $(OBJS:.o=.bc) $(OBJS:.o=.d) $(shlib); mkdir -p build; echo $(MAJORVERSION) > build/pg-major)
endif
else
all:
	@echo "no PostgreSQL development files at $(PG_CONFIG): run 'make deps' (or 'make test') for Debian's 15" >&2; exit 1
endif

build/ngs--$(BASEVERSION).sql: ngs--$(BASEVERSION).sql $(wildcard models/*.safetensors) tools/embed-models
	@mkdir -p build
	tools/embed-models $< $(sort $(wildcard models/*.safetensors)) > $@

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build-install test unit lib-check demo bench bench-season fuzz sanitize default-model

# lib/ must build as plain C99 with no PostgreSQL header (tools/lib-check says why it failed).
lib-check:
	@tools/lib-check

# The C unit tests of lib/ (test/unit/), built with no PostgreSQL at all.
UNIT_CFLAGS = -std=c99 -pedantic -Wall -Wextra -Werror -O2 -g -Ilib -Itest/unit
UNIT_SOURCES = $(sort $(wildcard test/unit/*.c))
unit: lib-check
	@mkdir -p out
	@sed -n 's/^UNIT_SUITE(\([a-z0-9_]*\)).*/UNIT_SUITE_ENTRY(\1)/p' $(UNIT_SOURCES) > out/unit_suites.h
	@$(CC) $(UNIT_CFLAGS) -Iout -o out/unit $(UNIT_SOURCES) $(LIB_SOURCES) -lm
	@out/unit

# Install the Debian packages the build, the tests and the demo need.
deps:
	@tools/install-deps

# Build and install the extension into the PostgreSQL that PG_CONFIG names.
build-install: deps
	@$(MAKE) --no-print-directory all
	@$(SUDO) $(MAKE) --no-print-directory install

# The C unit tests, then every pg_regress, pgTAP and shell test in a throwaway cluster;
# ends with one "N passed, N failed" line over all of them. NGS_MAJORS="15 18" runs it all
# on each major in turn (rebuilding from clean for each), then the pg_upgrade test from the
# first to the later ones, and ends with one line over every run (tools/test-majors);
# NGS_COMPILE_MAJORS="17" adds a compile of every file against that major's headers.
NGS_MAJORS ?=
NGS_COMPILE_MAJORS ?=
ifeq ($(strip $(NGS_MAJORS)),)
test: build-install
	@tools/run-tests
else
test: deps
	@NGS_COMPILE_MAJORS="$(NGS_COMPILE_MAJORS)" tools/test-majors $(NGS_MAJORS)
endif

# Load the real tracking data into a throwaway cluster (or the server named by PG*) and tour it.
demo: build-install
	@tools/demo

# Every benchmark in bench/ on the real data, one table of ratios against same-run baselines.
bench: build-install
	@tools/install-deps bench
	@bench/run

# The whole user pipeline on a synthetic season of SCALE pass plays made from the real ones
# (generate, load, tensors, model inputs, scores, season scores, one training epoch), one
# table of each stage's time, rate and memory against same-run baselines (tools/bench-season).
SCALE ?= 50000
bench-season: build-install
	@tools/install-deps bench
	@tools/bench-season $(SCALE)

# libFuzzer harnesses over every parser of untrusted bytes, FUZZ_SECONDS each (0: replay the
# kept crashes and seeds only), FUZZ_JOBS harnesses at a time.
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 1
fuzz:
	@tools/install-deps fuzz
	@FUZZ_JOBS=$(FUZZ_JOBS) fuzz/run $(FUZZ_SECONDS)

# The whole test suite once more with ngs.so built under AddressSanitizer and UBSan.
sanitize: deps
	@tools/sanitize

# Retrain the shipped default pass model on the real data (models/pass_default.safetensors).
default-model: build-install
	@tools/train-default-model

# The header dependencies gcc wrote (-MMD); after every rule, so none becomes the default goal.
-include $(OBJS:.o=.d)
