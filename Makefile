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
DEB_BUILD  = gcc make pkg-config libncurses-dev libcurl4-openssl-dev libxml2-dev libsqlite3-dev libjson-c-dev sqlite3
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
LLDLIBS    = -pthread $(PKG_LIBS) -lm

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

.PHONY: all run check test asan bench fuzz install uninstall clean deps deps-test FORCE

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

$(B)/bench/%: tests/bench/%.c $(B)/liblectern.a
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(LCPPFLAGS) $(CPPFLAGS) $(LCFLAGS) $(CFLAGS) -o $@ $< $(B)/liblectern.a $(LDFLAGS) $(LLDLIBS)

# Fuzzers need clang's libFuzzer; they link the sources directly with -fsanitize=fuzzer.
FUZZ_CC ?= clang
$(B)/fuzz/%: tests/fuzz/%.c $(filter-out src/main.c,$(SRC))
	@mkdir -p $(@D)
	@echo "  FUZZ    $<"
	$(Q)$(FUZZ_CC) $(LCPPFLAGS) -std=c17 -pthread $(PKG_CFLAGS) -g -O1 \
	  -fsanitize=fuzzer,address,undefined -o $@ $^ $(LLDLIBS)

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

FUZZ_SECONDS ?= 20
fuzz: deps-test $(FUZZERS)
	@for f in $(FUZZERS); do echo "== $$f"; mkdir -p $(B)/fuzz/corpus-$$(basename $$f); \
	  $$f -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 $(B)/fuzz/corpus-$$(basename $$f) tests/data \
	    2>$(B)/fuzz/$$(basename $$f).log || { tail -50 $(B)/fuzz/$$(basename $$f).log; exit 1; }; done

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
