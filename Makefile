# complaint - customer complaint handling the way git runs source history.
#
#   make            build ./complaint
#   make demo       install build dependencies, build, run the demo
#   make check      install test dependencies, build, run every test
#   make check-san  the tests again under AddressSanitizer + UBSan
#   make valgrind   the tests under valgrind
#   make bench      the benchmark (see bench/README.md)
#   make fuzz       build and run the fuzz targets (clang, libFuzzer)
#   make install    [PREFIX=/usr/local] [DESTDIR=]: the binary, the manual,
#                   completion, policies; make uninstall removes exactly that

VERSION  = 0.1.0
CC      ?= cc
PKGS     = yaml-0.1 libgit2 libcrypto libutf8proc
# -Wno-format-truncation: paths and messages are cut on purpose at fixed sizes
WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wno-format-truncation
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Iinclude -iquote lib \
	     -DCOMPLAINT_VERSION='"$(VERSION)"' $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS     = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -pthread
B       ?= build
# where make install puts things; the binary looks for its share folder
# there (and beside itself first: see cmd/shared/paths.h)
PREFIX  ?= /usr/local
DESTDIR ?=
bindir   = $(PREFIX)/bin
datadir  = $(PREFIX)/share
mandir   = $(datadir)/man
sharedir = $(datadir)/complaint
# make V=1 shows the compiler command lines
Q        = $(if $(V),,@echo '  CC   $<';)

LIB_SRC  = $(sort $(wildcard lib/*.c lib/*/*.c))
CMD_SRC  = $(sort $(wildcard cmd/*.c cmd/shared/*.c))
LIB_OBJ  = $(LIB_SRC:%.c=$(B)/%.o)
CMD_OBJ  = $(CMD_SRC:%.c=$(B)/%.o) $(B)/cmd/defaults.o $(B)/cmd/catalog.o
UNIT_SRC = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
# the message catalogues, as the build tree holds them (see po/ below)
LOCALE_MO = $(patsubst po/%.po,$(B)/locale/%/LC_MESSAGES/complaint.mo,$(wildcard po/*.po))

all: complaint completion

complaint: $(B)/complaint
	cp $< $@

# the catalogues in the build tree too ($(B)/locale), so that an
# uninstalled binary speaks the person's language (cmd/shared/paths.c)
$(B)/complaint: $(CMD_OBJ) $(B)/libcomplaint.a | $(LOCALE_MO)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CMD_OBJ) $(B)/libcomplaint.a $(LIBS)

$(B)/libcomplaint.a: $(LIB_OBJ)
	@rm -f $@
	@ar rcs $@ $^

$(B)/%.o: %.c $(wildcard include/complaint/*.h) $(wildcard cmd/*.h cmd/shared/*.h lib/*.h lib/*/*.h)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# only paths.o knows PREFIX; it is rebuilt when PREFIX changes
$(B)/cmd/shared/paths.o: ALL_CFLAGS += -DCOMPLAINT_SHAREDIR='"$(sharedir)"' -DCOMPLAINT_MANDIR='"$(mandir)"' \
	-DCOMPLAINT_LOCALEDIR='"$(datadir)/locale"'
$(B)/cmd/shared/paths.o: $(B)/prefix.stamp
$(B)/prefix.stamp: FORCE
	@mkdir -p $(B)
	@echo '$(sharedir) $(mandir) $(datadir)' | cmp -s - $@ || echo '$(sharedir) $(mandir) $(datadir)' >$@

$(B)/cmd/defaults.o: cmd/defaults.S policy/default.yaml policy/rosters/winery.yaml templates/apology.md templates/reply.md
	@mkdir -p $(dir $@)
	$(CC) -c -o $@ cmd/defaults.S

# the catalogue reports are written with (cmd/catalog.S, lib/i18n.c)
$(B)/cmd/catalog.o: cmd/catalog.S $(B)/po/zh_CN.mo
	@mkdir -p $(dir $@)
	$(CC) -DCP_MO_ZH_CN='"$(B)/po/zh_CN.mo"' -c -o $@ cmd/catalog.S

$(B)/tests/%: tests/unit/%.c $(B)/libcomplaint.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libcomplaint.a $(LIBS) -lcmocka

unit: $(UNIT_BIN)

deps:
	@sh tools/deps.sh build

deps-test:
	@sh tools/deps.sh test

deps-bench:
	@sh tools/deps.sh bench

demo: deps
	$(MAKE) complaint
	@sh tools/demo.sh

check: deps-test
	$(MAKE) complaint unit fuzz-replay-bin
	@sh tests/run.sh $(B)

check-san: deps-test
	$(MAKE) B=build-san CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" build-san/complaint unit fuzz-replay-bin
	@COMPLAINT_BIN=$(CURDIR)/build-san/complaint \
	 ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99:fast_unwind_on_malloc=0 \
	 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99 \
	 sh tests/run.sh build-san

valgrind: deps-test
	$(MAKE) complaint unit fuzz-replay-bin
	@COMPLAINT_VALGRIND=1 sh tests/run.sh $(B)

man-lint:
	@for f in man/*.[15]; do mandoc -Tlint -W warning $$f || exit 1; done

# bash and zsh completion, generated from the binary's option tables
COMPLETION = $(B)/complaint.bash $(B)/_complaint
completion: $(COMPLETION)

$(B)/complaint.bash: $(B)/complaint tools/completion.sh
	sh tools/completion.sh bash $(B)/complaint >$@.tmp && mv $@.tmp $@

$(B)/_complaint: $(B)/complaint tools/completion.sh
	sh tools/completion.sh zsh $(B)/complaint >$@.tmp && mv $@.tmp $@

# message catalogues: po/LANG.po -> $(B)/po/LANG.mo, installed as
# $(datadir)/locale/LANG/LC_MESSAGES/complaint.mo (none until po/ exists)
MO = $(patsubst po/%.po,$(B)/po/%.mo,$(wildcard po/*.po))

$(B)/po/%.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt -c -o $@.tmp $< && mv $@.tmp $@

$(B)/locale/%/LC_MESSAGES/complaint.mo: $(B)/po/%.mo
	@mkdir -p $(dir $@)
	cp $< $@

# make pot: po/complaint.pot from the sources (tools/pot.sh), and each
# po/LANG.po merged with it; a test keeps both up to date
pot:
	sh tools/pot.sh po/complaint.pot
	@for f in po/*.po; do msgmerge -q --update --backup=none --no-location --sort-output $$f po/complaint.pot || exit 1; done

# make install / uninstall: tools/install.sh keeps a list of what it put
# ($(sharedir)/installed-files) and uninstall removes exactly that list
INSTALL_ENV = DESTDIR='$(DESTDIR)' PREFIX='$(PREFIX)' bindir='$(bindir)' mandir='$(mandir)' \
	      sharedir='$(sharedir)' datadir='$(datadir)' BIN='$(B)/complaint' B='$(B)'

install: $(B)/complaint $(COMPLETION) $(MO)
	@$(INSTALL_ENV) sh tools/install.sh install

uninstall:
	@$(INSTALL_ENV) sh tools/install.sh uninstall

clean:
	rm -rf build build-san build-fuzz complaint

FORCE:

.PHONY: all unit deps deps-test deps-bench demo check check-san valgrind man-lint clean bench fuzz install uninstall completion pot FORCE

# ---- benchmark ----
$(B)/bench/gen: bench/gen.c $(B)/libcomplaint.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libcomplaint.a $(LIBS)

$(B)/bench/floor: bench/floor.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(LIBS)

$(B)/bench/index_ways: bench/index_ways.c $(B)/libcomplaint.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libcomplaint.a $(LIBS)

# a signed history for timing verify (bench/verify.sh; not part of make bench)
$(B)/bench/verify_gen: bench/verify_gen.c $(B)/libcomplaint.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libcomplaint.a $(LIBS)

# lib/tz.c against glibc, ns per call (not part of make bench)
$(B)/bench/tz: bench/tz.c $(B)/libcomplaint.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libcomplaint.a $(LIBS)

bench: deps-bench $(B)/complaint $(B)/bench/gen $(B)/bench/floor $(B)/bench/index_ways
	@B=$(B) sh bench/run.sh

# ---- fuzzing (tests/fuzz/) ----
# make fuzz         each libFuzzer target for FUZZ_SECONDS (default 60),
#                   clang with ASan and UBSan, over its seed corpus; new
#                   inputs go to build-fuzz/corpus/TARGET/, a crash to
#                   build-fuzz/crash-TARGET-*, the counts to
#                   build-fuzz/fuzz-TARGET.log
# make fuzz-replay  each target once over tests/fuzz/corpus/TARGET/, built
#                   with $(CC) and the system libyaml (make check runs
#                   these binaries in tests/t/t5500-fuzz-replay.sh)
#
# The system -lyaml is not instrumented, so coverage guidance would be
# blind inside the parser: make fuzz compiles libyaml's own source, from
# Debian's source package of the installed version, into the targets with
# the same flags (tests/fuzz/get-libyaml.sh fetches it into build-fuzz/;
# it is never kept in the repository).
FUZZ_TARGETS = case policy roundtrip time
FUZZ_SECONDS ?= 60
FUZZ_CC     ?= $(shell command -v clang-14 || command -v clang || echo clang)
FUZZ_SAN     = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FB           = build-fuzz
FUZZ_YAML_CFLAGS = -g -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link -I$(FB)/libyaml/include \
		   -DYAML_VERSION_MAJOR=0 -DYAML_VERSION_MINOR=2 -DYAML_VERSION_PATCH=5 \
		   -DYAML_VERSION_STRING='"0.2.5"'
FUZZ_CFLAGS  = -std=c11 -D_GNU_SOURCE -g -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
	       -Iinclude -iquote lib -Itests/fuzz -I$(FB)/libyaml/include \
	       $(shell pkg-config --cflags libgit2 2>/dev/null)
FUZZ_LIBS    = $(shell pkg-config --libs libgit2 libcrypto libutf8proc 2>/dev/null) -lm
FUZZ_LIB_OBJ = $(LIB_SRC:%.c=$(FB)/%.o)
FUZZ_BIN     = $(FUZZ_TARGETS:%=$(FB)/fuzz-%)
FUZZ_REPLAY  = $(FUZZ_TARGETS:%=$(B)/fuzz/replay-%)

$(FB)/libyaml/version: tests/fuzz/get-libyaml.sh
	@mkdir -p $(FB)
	@sh tests/fuzz/get-libyaml.sh $(FB)

$(FB)/libyaml.a: $(FB)/libyaml/version
	@rm -f $@ $(FB)/libyaml/*.o
	@for f in $(FB)/libyaml/src/*.c; do \
		echo "  CC   $$f (fuzz)"; \
		$(FUZZ_CC) $(FUZZ_YAML_CFLAGS) -c -o $(FB)/libyaml/$$(basename $$f .c).o $$f || exit 1; \
	done
	@ar rcs $@ $(FB)/libyaml/*.o

$(FB)/%.o: %.c $(wildcard include/complaint/*.h) $(wildcard lib/*.h lib/*/*.h) | $(FB)/libyaml/version
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FB)/defaults.o: cmd/defaults.S policy/default.yaml policy/rosters/winery.yaml
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -c -o $@ cmd/defaults.S

$(FB)/fuzz-%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_LIB_OBJ) $(FB)/libyaml.a $(FB)/defaults.o
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB_OBJ) \
		$(FB)/defaults.o $(FB)/libyaml.a $(FUZZ_LIBS)

fuzz: $(FUZZ_BIN)
	@failed=; for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FB)/corpus/$$t; \
		echo "fuzz-$$t: $(FUZZ_SECONDS) s"; \
		$(FB)/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
			-max_len=16384 -print_final_stats=1 -artifact_prefix=$(FB)/crash-$$t- \
			$(FB)/corpus/$$t tests/fuzz/corpus/$$t >$(FB)/fuzz-$$t.log 2>&1 || failed="$$failed $$t"; \
		grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz: |artifact_prefix|Test unit written)' $(FB)/fuzz-$$t.log | head -20; \
		sed -n 's/^stat::number_of_executed_units: */  executions: /p; s/^#[0-9]*[[:space:]]*DONE *cov: \([0-9]*\).*corp: \([0-9]*\).*/  edges covered: \1, corpus: \2/p' $(FB)/fuzz-$$t.log; \
	done; \
	if test -n "$$failed"; then echo "fuzz: failed:$$failed (see $(FB)/fuzz-*.log, $(FB)/crash-*)"; exit 1; fi

$(B)/fuzz/replay-%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(B)/libcomplaint.a $(B)/cmd/defaults.o
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/fuzz $(LDFLAGS) -o $@ $< tests/fuzz/replay.c \
		$(B)/cmd/defaults.o $(B)/libcomplaint.a $(LIBS)

fuzz-replay-bin: $(FUZZ_REPLAY)

fuzz-replay: $(FUZZ_REPLAY)
	@for t in $(FUZZ_TARGETS); do $(B)/fuzz/replay-$$t tests/fuzz/corpus/$$t || exit 1; done

# the instrumented objects are kept between runs
.SECONDARY: $(FUZZ_LIB_OBJ) $(FB)/defaults.o $(FB)/libyaml.a

.PHONY: fuzz-replay fuzz-replay-bin
