# complaint - customer complaint handling the way git runs source history.
#
#   make            build ./complaint
#   make demo       install build dependencies, build, run the demo
#   make check      install test dependencies, build, run every test
#   make check-san  the tests again under AddressSanitizer + UBSan
#   make valgrind   the tests under valgrind
#   make bench      the benchmark (see bench/README.md)
#   make fuzz       build and run the fuzz targets (clang, libFuzzer)

VERSION  = 0.1.0
CC      ?= cc
PKGS     = yaml-0.1 libgit2 libcrypto
# -Wno-format-truncation: paths and messages are cut on purpose at fixed sizes
WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wno-format-truncation
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Iinclude \
	     -DCOMPLAINT_VERSION='"$(VERSION)"' $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS     = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
B       ?= build
# make V=1 shows the compiler command lines
Q        = $(if $(V),,@echo '  CC   $<';)

LIB_SRC  = $(sort $(wildcard lib/*.c))
CMD_SRC  = $(sort $(wildcard cmd/*.c))
LIB_OBJ  = $(LIB_SRC:%.c=$(B)/%.o)
CMD_OBJ  = $(CMD_SRC:%.c=$(B)/%.o) $(B)/cmd/defaults.o
UNIT_SRC = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

all: complaint

complaint: $(B)/complaint
	cp $< $@

$(B)/complaint: $(CMD_OBJ) $(B)/libcomplaint.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CMD_OBJ) $(B)/libcomplaint.a $(LIBS)

$(B)/libcomplaint.a: $(LIB_OBJ)
	@rm -f $@
	@ar rcs $@ $^

$(B)/%.o: %.c $(wildcard include/complaint/*.h) $(wildcard cmd/*.h lib/*.h)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/cmd/defaults.o: cmd/defaults.S policy/default.yaml policy/rosters/winery.yaml
	@mkdir -p $(dir $@)
	$(CC) -c -o $@ cmd/defaults.S

$(B)/tests/%: tests/unit/%.c $(B)/libcomplaint.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libcomplaint.a $(LIBS) -lcmocka

unit: $(UNIT_BIN)

deps:
	@sh tools/deps.sh build

deps-test:
	@sh tools/deps.sh test

demo: deps
	$(MAKE) complaint
	@sh tools/demo.sh

check: deps-test
	$(MAKE) complaint unit
	@sh tests/run.sh $(B)

check-san: deps-test
	$(MAKE) B=build-san CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" build-san/complaint unit
	@COMPLAINT_BIN=$(CURDIR)/build-san/complaint \
	 ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99 \
	 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99 \
	 sh tests/run.sh build-san

valgrind: deps-test
	$(MAKE) complaint unit
	@COMPLAINT_VALGRIND=1 sh tests/run.sh $(B)

man-lint:
	@for f in man/*.[15]; do mandoc -Tlint -W warning $$f || exit 1; done

clean:
	rm -rf build build-san build-fuzz complaint

.PHONY: all unit deps deps-test demo check check-san valgrind man-lint clean bench fuzz

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

bench: $(B)/complaint $(B)/bench/gen $(B)/bench/floor $(B)/bench/index_ways
	@B=$(B) sh bench/run.sh
