# Thin wrappers over meson and ninja. Each target first installs whatever Debian packages
# are missing (silently when none are), then configures the build directory once.
#   make run [QEMU_EXTRA="-smp 4 -m 2G"]   boot in QEMU, console on this terminal
#   make test                              unit and system suites, then "N passed, N failed"
#   make debug                             QEMU waiting for gdb-multiarch on :1234
#   make bench                             the benchmarks under QEMU -icount, one JSON line per metric
BUILD ?= build
QEMU_EXTRA ?=
MESON_SETUP = meson setup $(BUILD) --cross-file cross/common.ini --cross-file cross/riscv64.ini \
              --native-file cross/native.ini
KERNEL = $(BUILD)/kernel/tessera.elf
# The root task and its tasks, a CPIO archive QEMU loads as the initrd (docs/boot-image.md).
BOOT_IMAGE = $(BUILD)/roottask/boot-image.cpio

.PHONY: all build run test debug bench clean

all: build

$(BUILD)/build.ninja:
	@$(MESON_SETUP)

build:
	@sh tools/install-deps.sh build
	@$(MAKE) --no-print-directory $(BUILD)/build.ninja
	@ninja -C $(BUILD) kernel/tessera.elf roottask/boot-image.cpio

run:
	@sh tools/install-deps.sh run
	@$(MAKE) --no-print-directory $(BUILD)/build.ninja
	@ninja --quiet -C $(BUILD) kernel/tessera.elf roottask/boot-image.cpio
	@sh tools/qemu-run.sh $(KERNEL) $(BOOT_IMAGE) $(QEMU_EXTRA)

test:
	@sh tools/install-deps.sh test
	@$(MAKE) --no-print-directory $(BUILD)/build.ninja
	@ninja -C $(BUILD)
	@status=0; meson test -C $(BUILD) --print-errorlogs || status=$$?; \
	 python3 tools/test-summary.py $(BUILD)/meson-logs/testlog.json || status=1; \
	 exit $$status

debug:
	@sh tools/install-deps.sh debug
	@$(MAKE) --no-print-directory $(BUILD)/build.ninja
	@ninja --quiet -C $(BUILD) kernel/tessera.elf roottask/boot-image.cpio
	@echo "QEMU is waiting for a debugger. In another terminal:"
	@echo "  gdb-multiarch -x tools/gdbinit $(KERNEL)"
	@sh tools/qemu-run.sh $(KERNEL) $(BOOT_IMAGE) -s -S $(QEMU_EXTRA)

# docs/performance.md: one hart, -icount shift=0, so every figure is an instruction count.
# Only the figures go to stdout (one JSON object per line); everything else to stderr.
bench:
	@sh tools/install-deps.sh run >&2
	@$(MAKE) --no-print-directory $(BUILD)/build.ninja >&2
	@ninja --quiet -C $(BUILD) kernel/tessera.elf roottask/boot-image.cpio >&2
	@python3 tools/run-bench.py $(KERNEL) $(BOOT_IMAGE)

clean:
	rm -rf $(BUILD)
