# lectern — GNU make. Respects CFLAGS/CPPFLAGS/LDFLAGS; V=1 shows commands.
VERSION    = 0.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
DATADIR   ?= $(PREFIX)/share
MANPREFIX ?= $(PREFIX)/share/man
DESTDIR   ?=

CC        ?= cc
PKG_CONFIG ?= pkg-config
CFLAGS    ?= -O2 -g
PKGS       = ncursesw libcurl libxml-2.0 sqlite3 json-c
TEST_PKGS  = cmocka

# Debian packages that provide the above (installed by `make deps` / `make deps-test` when missing).
DEB_BUILD  = gcc make pkg-config libncurses-dev libcurl4-openssl-dev libxml2-dev libsqlite3-dev libjson-c-dev liblinear-dev sqlite3
DEB_TEST   = libcmocka-dev python3 tmux clang libclang-rt-14-dev sqlite3 ca-certificates

WARN = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wformat=2 -Wpointer-arith -Wwrite-strings -Wvla -Wundef -Wcast-align \
       -Wno-unused-parameter
ifdef WERROR
WARN += -Werror
endif

PKG_CFLAGS := $(filter-out -D_XOPEN_SOURCE% -D_DEFAULT_SOURCE,$(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null))
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
LCPPFLAGS  = -Iinclude -D_GNU_SOURCE -D_XOPEN_SOURCE_EXTENDED \
             -DLECTERN_VERSION='"$(VERSION)"' -DLECTERN_DATADIR='"$(DATADIR)/lectern"'
LCFLAGS    = -std=c17 -pthread $(WARN) $(PKG_CFLAGS) -MMD -MP
LLDLIBS    = -pthread $(PKG_LIBS) -llinear -lm

B ?= build
Q = @
ifeq ($(V),1)
Q =
endif

SRC      := $(wildcard src/*.c)
LIB_OBJ  := $(patsubst src/%.c,$(B)/%.o,$(filter-out src/main.c,$(SRC)))
MAIN_OBJ := $(B)/main.o
TESTS    := $(patsubst tests/%.c,$(B)/tests/%,$(wildcard tests/test_*.c))
BENCHES  := $(patsubst tests/bench/%.c,$(B)/bench/%,$(wildcard tests/bench/bench_*.c))
FUZZERS  := $(patsubst tests/fuzz/%.c,$(B)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
E2E      := $(sort $(wildcard tests/e2e_*.sh))

.PHONY: all run check test asan bench fuzz fuzz-long fuzz-merge install uninstall clean deps deps-test FORCE

all: lectern

# The binary is built inside the build directory (so asan and parallel builds never collide) and
# copied to ./lectern for the default build.
lectern: $(B)/lectern
	$(Q)cp $< $@

$(B)/lectern: $(MAIN_OBJ) $(B)/liblectern.a
	@echo "  LD      $@"
	$(Q)$(CC) $(LCFLAGS) $(CFLAGS) -o $@ $^ $(LDFLAGS) $(LLDLIBS)

$(B)/liblectern.a: $(LIB_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

# Objects depend on the flags they were built with (PREFIX is compiled in), so `make PREFIX=/usr
# install` after a plain `make` rebuilds instead of installing a binary that looks elsewhere.
FLAGS_NOW = $(CC) $(LCPPFLAGS) $(CPPFLAGS) $(LCFLAGS) $(CFLAGS)
$(B)/.flags: FORCE
	@mkdir -p $(@D)
	@echo '$(FLAGS_NOW)' | cmp -s - $@ || echo '$(FLAGS_NOW)' > $@

$(B)/%.o: src/%.c $(B)/.flags
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(LCPPFLAGS) $(CPPFLAGS) $(LCFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/tests/%: tests/%.c $(B)/liblectern.a
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(LCPPFLAGS) $(CPPFLAGS) $(LCFLAGS) $(CFLAGS) $(shell $(PKG_CONFIG) --cflags $(TEST_PKGS)) \
	  -o $@ $< $(B)/liblectern.a $(LDFLAGS) $(LLDLIBS) $(shell $(PKG_CONFIG) --libs $(TEST_PKGS))

# Benchmarks share papergen (realistic papers recombined from the real fixtures in tests/data).
$(B)/bench/papergen.o: tests/bench/papergen.c $(B)/.flags
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(LCPPFLAGS) $(CPPFLAGS) $(LCFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/bench/%: tests/bench/%.c $(B)/bench/papergen.o $(B)/liblectern.a
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(LCPPFLAGS) $(CPPFLAGS) $(LCFLAGS) $(CFLAGS) -DBENCH_DATA='"$(abspath tests/data)"' \
	  -o $@ $< $(B)/bench/papergen.o $(B)/liblectern.a $(LDFLAGS) $(LLDLIBS)

# Fuzzers need clang's libFuzzer; they link the sources directly with -fsanitize=fuzzer. UBSan
# findings abort (no recovery), so undefined behaviour fails a fuzzing run like a crash.
FUZZ_CC ?= clang
$(B)/fuzz/%: tests/fuzz/%.c $(filter-out src/main.c,$(SRC))
	@mkdir -p $(@D)
	@echo "  FUZZ    $<"
	$(Q)$(FUZZ_CC) $(LCPPFLAGS) -std=c17 -pthread $(PKG_CFLAGS) -g -O1 \
	  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -o $@ $^ $(LLDLIBS)

# ---- set-up -----------------------------------------------------------------------------------
# Install missing Debian packages when we can (root or sudo); otherwise say what is missing.
define apt_install
	@missing=""; for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if ! command -v apt-get >/dev/null; then echo "lectern: please install:$$missing" >&2; exit 1; fi; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO=sudo; \
	  else echo "lectern: run as root or install:$$missing" >&2; exit 1; fi; \
	  echo "  APT    $$missing"; \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null \
	    || { $$SUDO apt-get update -q >/dev/null && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null; } \
	    || { echo "lectern: apt-get could not install:$$missing" >&2; exit 1; }; \
	fi
endef

deps:
	$(call apt_install,$(DEB_BUILD))

deps-test: deps
	$(call apt_install,$(DEB_TEST))

run: deps
	@$(MAKE) --no-print-directory all
	./lectern $(ARGS)

# ---- tests ------------------------------------------------------------------------------------
check: deps-test
	@$(MAKE) --no-print-directory test

test: $(B)/lectern $(TESTS)
	@LECTERN_BIN=$(abspath $(B)/lectern) B=$(B) sh tests/run.sh $(TESTS) $(E2E)

asan: deps-test
	@$(MAKE) --no-print-directory B=build-asan CC=clang \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" test

bench: deps $(B)/lectern $(BENCHES)
	@for b in $(BENCHES); do echo "== $$b"; LECTERN_BIN=$(abspath $(B)/lectern) $$b || exit 1; done

# Each target runs with the -max_len of tests/fuzz/<target>.options (fitting its input: a feed
# page cut to its first entries, a query, a config file...) from its seed corpus in
# tests/fuzz/corpus/<target>/
# (tests/fuzz/seeds.py builds the seeds from the fixtures; grown inputs kept there came from
# `make fuzz-merge`). New inputs go to $(B)/fuzz/corpus-<target>/, never into the tree.
# `make fuzz` is the quick pass CI runs (FUZZ_SECONDS=15); `make fuzz-long FUZZ_SECONDS=N` runs
# each target N seconds with value profiling (compares guide the search) — both print coverage
# and executions/s per target, also in $(B)/fuzz/summary.txt (figures in FUZZING.md).
FUZZ_SECONDS ?= 20
define fuzz_run
	@: >$(B)/fuzz/summary.txt; for f in $(FUZZERS); do t=$$(basename $$f); mkdir -p $(B)/fuzz/corpus-$$t; \
	  m=$$(sed -n 's/^max_len *= *//p' tests/fuzz/$$t.options); \
	  $$f -max_total_time=$(FUZZ_SECONDS) -max_len=$${m:?no max_len in tests/fuzz/$$t.options} \
	    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 $(1) $(B)/fuzz/corpus-$$t \
	    tests/fuzz/corpus/$$t 2>$(B)/fuzz/$$t.log || { tail -50 $(B)/fuzz/$$t.log; exit 1; }; \
	  printf '%-12s max_len %-6s %s\n' $$t $$m \
	    "$$(grep -E '^#[0-9]+[[:space:]]+DONE' $(B)/fuzz/$$t.log | tail -n 1 | sed 's/^#[0-9]*[[:space:]]*DONE *//')" \
	    | tee -a $(B)/fuzz/summary.txt; \
	done
endef

fuzz: deps-test $(FUZZERS)
	$(call fuzz_run,)

fuzz-long: deps-test $(FUZZERS)
	$(call fuzz_run,-use_value_profile=1)

# Minimises the seeds plus what fuzzing found (a set cover of their coverage) and adds the inputs
# of at most 4 KB it chose to tests/fuzz/corpus/<target>/ (seeds stay), so the committed corpora
# stay small. Commit the result.
fuzz-merge: $(FUZZERS)
	@for f in $(FUZZERS); do t=$$(basename $$f); rm -rf $(B)/fuzz/merged-$$t; \
	  mkdir -p $(B)/fuzz/merged-$$t $(B)/fuzz/corpus-$$t; \
	  m=$$(sed -n 's/^max_len *= *//p' tests/fuzz/$$t.options); \
	  $$f -set_cover_merge=1 -max_len=$${m:-4096} $(B)/fuzz/merged-$$t tests/fuzz/corpus/$$t \
	    $(B)/fuzz/corpus-$$t 2>$(B)/fuzz/$$t.merge.log || { tail -20 $(B)/fuzz/$$t.merge.log; exit 1; }; \
	  n=0; for g in $(B)/fuzz/merged-$$t/*; do \
	    h=$$(sha1sum <$$g | cut -c1-40); \
	    [ $$(wc -c <$$g) -le 4096 ] || continue; \
	    if ! sha1sum tests/fuzz/corpus/$$t/* | grep -q "^$$h "; \
	    then cp $$g tests/fuzz/corpus/$$t/$$h; n=$$((n + 1)); fi; done; \
	  echo "$$t: $$n inputs added"; done

# ---- install ----------------------------------------------------------------------------------
# The completion scripts are `lectern completions SHELL` output, committed (tests/e2e_completions.sh
# fails when they differ from it).
COMPLETIONS_BASH = share/bash-completion/completions/lectern
COMPLETIONS_ZSH  = share/zsh/site-functions/_lectern
COMPLETIONS_FISH = share/fish/vendor_completions.d/lectern.fish
install: lectern
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANPREFIX)/man1 $(DESTDIR)$(MANPREFIX)/man5 \
	  $(DESTDIR)$(DATADIR)/lectern/themes $(DESTDIR)$(DATADIR)/bash-completion/completions \
	  $(DESTDIR)$(DATADIR)/zsh/site-functions $(DESTDIR)$(DATADIR)/fish/vendor_completions.d
	install -m 755 lectern $(DESTDIR)$(BINDIR)/lectern
	install -m 644 man/lectern.1 $(DESTDIR)$(MANPREFIX)/man1/lectern.1
	install -m 644 man/lectern.5 $(DESTDIR)$(MANPREFIX)/man5/lectern.5
	install -m 644 themes/*.theme $(DESTDIR)$(DATADIR)/lectern/themes/
	install -m 644 $(COMPLETIONS_BASH) $(DESTDIR)$(DATADIR)/$(COMPLETIONS_BASH:share/%=%)
	install -m 644 $(COMPLETIONS_ZSH) $(DESTDIR)$(DATADIR)/$(COMPLETIONS_ZSH:share/%=%)
	install -m 644 $(COMPLETIONS_FISH) $(DESTDIR)$(DATADIR)/$(COMPLETIONS_FISH:share/%=%)

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/lectern $(DESTDIR)$(MANPREFIX)/man1/lectern.1 \
	  $(DESTDIR)$(MANPREFIX)/man5/lectern.5 $(DESTDIR)$(DATADIR)/$(COMPLETIONS_BASH:share/%=%) \
	  $(DESTDIR)$(DATADIR)/$(COMPLETIONS_ZSH:share/%=%) $(DESTDIR)$(DATADIR)/$(COMPLETIONS_FISH:share/%=%)
	rm -rf $(DESTDIR)$(DATADIR)/lectern

clean:
	rm -rf build build-asan lectern

-include $(wildcard $(B)/*.d $(B)/tests/*.d $(B)/bench/*.d)
