# netsim: one non-recursive Makefile.
#   make            build ./netsim
#   make run        install missing dependencies, build, run the default example
#   make test       install missing dependencies, build, run the whole test suite
#   make bench      performance measurements (docs/performance.md)
#   make SAN=1 ...  AddressSanitizer + UndefinedBehaviorSanitizer build (in build-san/)
#   make tsan       ThreadSanitizer build (in build-tsan/), run on networks that use threads
#   make deps       install the Debian packages netsim needs (root), or print the command
#   make fuzz       libFuzzer harnesses (in build-fuzz/); make fuzz-smoke runs each briefly
#   make install    install netsim, its docs and examples (PREFIX=/usr/local, DESTDIR=);
#                   make uninstall removes them

# Builds and the test suite use every processor unless told otherwise (make -jN).
ifeq ($(filter -j%,$(MAKEFLAGS)),)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)
endif

CC      ?= cc
PKGS    := lua5.4 yaml-0.1 readline
DEBS    := liblua5.4-dev lua5.4 lua-filesystem libyaml-dev libreadline-dev libcmocka-dev \
           libmimalloc-dev pkg-config tshark python3 tmux time openmpi-bin libopenmpi-dev
# Node.js for the MCP SDK test: checked by command, since another repository's nodejs
# (NodeSource's, which bundles npm) conflicts with Debian's npm package.
NODEDEBS := nodejs npm
CFLAGS  ?= -O2 -g
# Always on, whatever CFLAGS the user passes (make CFLAGS=-O0 keeps the warnings).
WARN    := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes
override CFLAGS += $(WARN) -MMD -MP
LDLIBS  += -lm -lpthread

ifeq ($(SAN),thread)
BUILD   := build-tsan
override CFLAGS += -O1 -fsanitize=thread -fno-omit-frame-pointer -DNETSIM_SAN
LDFLAGS += -fsanitize=thread
BIN     := $(BUILD)/netsim
else ifeq ($(SAN),1)
BUILD   := build-san
override CFLAGS += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -DNETSIM_SAN \
           -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
BIN     := $(BUILD)/netsim
else
BUILD   := build
BIN     := netsim
# mimalloc, when installed, replaces malloc: routers on several threads free
# each other's memory all the time, which glibc's arenas serialise behind
# locks (docs/performance.md). The sanitizer builds keep their own allocator.
ifneq ($(wildcard /usr/lib/*/libmimalloc.so /usr/lib/libmimalloc.so),)
LDLIBS  += -lmimalloc
override CFLAGS += -DNETSIM_MIMALLOC
endif
# MPI (distributed runs, docs/distributed.md), when Open MPI's mpicc is installed and
# not MPI=0. Only src/sim/dist.c includes mpi.h. The sanitizer builds never use it:
# MPI's own allocations and threads are reported as leaks and races.
ifneq ($(MPI),0)
MPICC := $(shell command -v mpicc 2>/dev/null)
ifneq ($(MPICC),)
MPI_CFLAGS := -DNETSIM_MPI $(shell $(MPICC) --showme:compile 2>/dev/null)
LDLIBS  += $(shell $(MPICC) --showme:link 2>/dev/null)
endif
endif
endif

# Shared test data (real captures, checksum vectors): ../shared beside the checkout.
SHARED  ?= $(firstword $(wildcard ../shared /work/shared))

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

SRC      := $(shell find src -name '*.c' | sort)
OBJ      := $(SRC:%.c=$(BUILD)/%.o)
LIBOBJ   := $(filter-out $(BUILD)/src/main.o,$(OBJ))
LUASRC   := $(shell find lua -name '*.lua' 2>/dev/null | sort)
LUAEMBED := $(BUILD)/gen/lua_embed.c
UNITSRC  := $(sort $(wildcard tests/unit/test_*.c))
UNITBIN  := $(UNITSRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all run test unit scenario bench deps clean check-deps fmt tsan

all: $(BIN)

# Quiet by default: `make V=1` shows the commands.
ifneq ($(V),1)
Q = @
endif

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

# dist.o is rebuilt when MPI is switched on or off (the stamp changes only then).
MPI_STAMP := $(BUILD)/mpi.flags
$(MPI_STAMP): FORCE
	@mkdir -p $(dir $@)
	@echo '$(MPI_CFLAGS)' | cmp -s - $@ || echo '$(MPI_CFLAGS)' > $@
$(BUILD)/src/sim/dist.o: override CFLAGS += $(MPI_CFLAGS)
$(BUILD)/src/sim/dist.o: $(MPI_STAMP)
.PHONY: FORCE

$(LUAEMBED): $(LUASRC) tests/tools/embed.sh
	@mkdir -p $(dir $@)
	$(Q)sh tests/tools/embed.sh $(LUASRC) > $@

$(BUILD)/gen/lua_embed.o: $(LUAEMBED)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BIN): $(OBJ) $(BUILD)/gen/lua_embed.o
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIBOBJ) $(BUILD)/gen/lua_embed.o
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  TEST    $@")
	$(Q)$(CC) $(CFLAGS) $(PKG_CFLAGS) -Isrc $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lcmocka $(LDLIBS)

# --- dependencies -----------------------------------------------------------------------
check-deps:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || missing="$$missing $(NODEDEBS)"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "netsim: installing$$missing"; \
			(apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "netsim: missing packages; run: sudo apt-get install -y$$missing"; exit 1; \
		fi; \
	fi

deps: check-deps

# --- running ----------------------------------------------------------------------------
run: check-deps
	$(MAKE) all
	./$(BIN) run topologies/ospf-triangle.yaml

# --- tests ------------------------------------------------------------------------------
test: check-deps
	$(MAKE) all
	$(MAKE) unit scenario
	@echo "all tests passed"

unit: $(UNITBIN)
	@fail=0; for t in $(UNITBIN); do \
		NETSIM_SHARED=$(abspath $(SHARED)) $$t >$$t.log 2>&1 || \
			{ echo "FAIL $$t"; tail -30 $$t.log; fail=1; }; \
	done; \
	[ $$fail = 0 ] && echo "unit tests: $(words $(UNITBIN)) suites passed"; exit $$fail

scenario: $(BIN)
	$(Q)NETSIM=./$(BIN) NETSIM_SHARED=$(abspath $(SHARED)) sh tests/run-scenarios.sh

# Routers on several threads, under ThreadSanitizer (any report fails).
tsan: check-deps
	$(MAKE) SAN=thread all
	NETSIM=build-tsan/netsim sh tests/tsan.sh

bench: all
	sh tests/bench/run.sh

fmt:
	clang-format -i $(SRC) $(shell find src -name '*.h')

clean:
	rm -rf build build-san build-tsan build-fuzz netsim

# --- install: the binary (the Lua library is embedded in it), the manual, the examples ---
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
DOCDIR     ?= $(PREFIX)/share/doc/netsim
# The binary to install (the tests install the one they test).
INSTALL_BIN ?= $(BIN)

.PHONY: install uninstall
install: $(INSTALL_BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DOCDIR)/docs \
		$(DESTDIR)$(DOCDIR)/examples/topologies $(DESTDIR)$(DOCDIR)/examples/scenarios
	install -m 755 $(INSTALL_BIN) $(DESTDIR)$(BINDIR)/netsim
	install -m 644 README.md $(DESTDIR)$(DOCDIR)/README.md
	install -m 644 docs/*.md $(DESTDIR)$(DOCDIR)/docs/
	install -m 644 topologies/*.yaml $(DESTDIR)$(DOCDIR)/examples/topologies/
	install -m 644 scenarios/*.lua $(DESTDIR)$(DOCDIR)/examples/scenarios/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/netsim
	rm -rf $(DESTDIR)$(DOCDIR)

# --- fuzzing (docs/fuzzing.md) ----------------------------------------------------------
# libFuzzer harnesses tests/fuzz/fuzz_*.c, linked against the project built with clang,
# coverage and ASan+UBSan in build-fuzz/ (src/main.o left out: libFuzzer has the main).
# clang is installed here, on demand, so the rest of the build never needs it.
FUZZ_CC     ?= clang
FUZZ_BUILD  := build-fuzz
# clang's -Wextra also flags "{NULL}" sentinels in tables, which gcc (the main build) accepts.
FUZZ_FLAGS  := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
               -fno-sanitize-recover=all -DNETSIM_SAN -Wno-missing-field-initializers
FUZZ_SRC    := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN    := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_BUILD)/%)
FUZZ_LIBOBJ := $(filter-out $(FUZZ_BUILD)/src/main.o,$(SRC:%.c=$(FUZZ_BUILD)/%.o)) \
               $(FUZZ_BUILD)/gen/lua_embed.o
FUZZ_SECONDS ?= 20

.PHONY: fuzz fuzz-deps fuzz-run fuzz-smoke
# Reached only through the harnesses' pattern rule: keep them anyway.
.SECONDARY: $(FUZZ_LIBOBJ)

# clang itself, and libFuzzer's runtime, which Debian ships apart (libclang-rt-dev,
# only recommended by clang): checked by linking an empty harness.
FUZZ_DEBS   := clang libclang-rt-dev
fuzz-deps:
	@fuzz_ok() { printf 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }\n' | \
		$(FUZZ_CC) -x c -fsanitize=fuzzer - -o /dev/null >/dev/null 2>&1; }; \
	fuzz_ok || { \
		if [ "$$(id -u)" = 0 ]; then \
			echo "netsim: installing $(FUZZ_DEBS)"; \
			(apt-get update -qq || true) && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(FUZZ_DEBS) >/dev/null && \
			fuzz_ok || { echo "netsim: $(FUZZ_CC) cannot build a libFuzzer harness"; exit 1; }; \
		else \
			echo "netsim: make fuzz needs clang and libFuzzer; run: sudo apt-get install -y $(FUZZ_DEBS)"; \
			exit 1; \
		fi; }

fuzz: fuzz-deps
	$(Q)$(MAKE) $(FUZZ_BIN)

$(FUZZ_BUILD)/src/%.o: src/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZCC  $<")
	$(Q)$(FUZZ_CC) $(WARN) -MMD -MP $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -c $< -o $@

$(FUZZ_BUILD)/gen/lua_embed.o: $(LUASRC) tests/tools/embed.sh
	@mkdir -p $(dir $@)
	$(Q)sh tests/tools/embed.sh $(LUASRC) > $(FUZZ_BUILD)/gen/lua_embed.c
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -c $(FUZZ_BUILD)/gen/lua_embed.c -o $@

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_net.h $(FUZZ_LIBOBJ)
	@$(if $(Q),echo "  FUZZLD  $@")
	$(Q)$(FUZZ_CC) $(WARN) $(FUZZ_FLAGS) -fsanitize=fuzzer $(PKG_CFLAGS) -Isrc -o $@ $(filter-out %.h,$^) \
		$(PKG_LIBS) -lm -lpthread

# Seed corpora (from the real captures, the shipped topologies, example requests),
# then FUZZ_SECONDS of fuzzing per harness; a finding fails (crash file in build-fuzz/).
# (netsim itself too: its pcaps of the IS-IS test topologies seed fuzz_isis_rx)
fuzz-run: fuzz $(BIN)
	$(Q)python3 tests/fuzz/corpus.py $(FUZZ_BUILD)/corpus "$(SHARED)" ./$(BIN)
	$(Q)sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(notdir $(FUZZ_BIN))

fuzz-smoke: fuzz-run

-include $(FUZZ_LIBOBJ:.o=.d)

-include $(OBJ:.o=.d)
