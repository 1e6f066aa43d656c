# tierbench: set-up, build, run, test. Run as root on Debian (apt-get installs what is missing).
SWIFT ?= swift
# To build: liburing, libsqlite3 (the run history, through GRDB). For the tests: fio (the reference, and fio_jsonplus_clat2csv, which needs
# python3-six), python3-seccomp (io_uring blocked by seccomp), python3-jsonschema (schema checks),
# python3-venv (for fio-plot from PyPI); fdisk, xfsprogs, btrfs-progs, e2fsprogs, util-linux (the
# destructive-write guard: partition tables, file systems, swap, loop devices); chromium and
# chromium-driver (the HTML report in a real browser, through Selenium), prometheus (promtool and
# a server to query), prometheus-pushgateway and prometheus-node-exporter (--push and the textfile
# collector). apt starts none of these servers; the tests start their own on 127.0.0.1. The zones
# tests use kubectl where the machine has it (it is not in Debian) against an API emulator
# (python3), and kubernetes-validate (PyPI) for the manifests' schemas; podman and runc build and
# run the container image.
APT_PACKAGES = liburing-dev libsqlite3-dev
TEST_APT_PACKAGES = fio zstd python3-seccomp python3-jsonschema python3-six python3-venv fdisk xfsprogs btrfs-progs e2fsprogs util-linux \
	chromium chromium-driver prometheus prometheus-pushgateway prometheus-node-exporter podman runc
FIO_PLOT_VENV = /opt/tierbench-venv
FIO_PLOT_VERSION = 1.1.21
JUNITPARSER_VERSION = 5.0.3
KUBERNETES_VALIDATE_VERSION = 1.37.0
# The report tests drive Debian's chromium with Selenium (pillow reads the screenshots); the
# OpenMetrics check uses prometheus-client's parser.
SELENIUM_VERSION = 4.51.0
PROMETHEUS_CLIENT_VERSION = 0.26.0

.PHONY: setup test-setup build run test bench bench-check clean image docs

# Installs the Debian packages that are missing.
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq $$missing; \
	fi
endef

setup:
	$(call apt_install,$(APT_PACKAGES))

# The test tools, and fio-plot, junitparser, selenium and prometheus-client (PyPI) in their own virtual environment.
test-setup: setup
	$(call apt_install,$(TEST_APT_PACKAGES))
	@[ -x $(FIO_PLOT_VENV)/bin/fio-plot ] || { echo "installing fio-plot $(FIO_PLOT_VERSION) in $(FIO_PLOT_VENV)"; \
	  /usr/bin/python3 -m venv $(FIO_PLOT_VENV) && $(FIO_PLOT_VENV)/bin/pip install -q fio-plot==$(FIO_PLOT_VERSION); }
	@$(FIO_PLOT_VENV)/bin/python -c "import junitparser" 2>/dev/null || { echo "installing junitparser $(JUNITPARSER_VERSION) in $(FIO_PLOT_VENV)"; \
	  $(FIO_PLOT_VENV)/bin/pip install -q junitparser==$(JUNITPARSER_VERSION); }
	@[ -x $(FIO_PLOT_VENV)/bin/kubernetes-validate ] || { echo "installing kubernetes-validate $(KUBERNETES_VALIDATE_VERSION) in $(FIO_PLOT_VENV)"; \
	  $(FIO_PLOT_VENV)/bin/pip install -q kubernetes-validate==$(KUBERNETES_VALIDATE_VERSION); }
	@$(FIO_PLOT_VENV)/bin/python -c "import selenium, PIL, prometheus_client" 2>/dev/null || { echo "installing selenium $(SELENIUM_VERSION), pillow, prometheus-client $(PROMETHEUS_CLIENT_VERSION) in $(FIO_PLOT_VENV)"; \
	  $(FIO_PLOT_VENV)/bin/pip install -q selenium==$(SELENIUM_VERSION) pillow prometheus-client==$(PROMETHEUS_CLIENT_VERSION); }

build: setup
	$(SWIFT) build -c release

# The default suite on a temporary 1 GiB file under the current directory (removed afterwards).
run: build
	.build/release/tierbench run

test: test-setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) bench-check

# The hot path's allocation thresholds (Benchmarks/Package.swift, ordo-one/benchmark, its malloc
# interposer: nothing to install on Swift 6.3): fails when a benchmark allocates more than
# Benchmarks/Thresholds/ allows. Exit 4 is "fewer than the thresholds": fine, and worth an update
# (cd Benchmarks && swift package --allow-writing-to-package-directory benchmark thresholds update).
bench-check: setup
	@cd Benchmarks && { $(SWIFT) package benchmark thresholds check --no-progress; rc=$$?; \
	  if [ $$rc -eq 4 ]; then echo "bench-check: below the thresholds; update Benchmarks/Thresholds/"; rc=0; fi; exit $$rc; }

# The container image for `tierbench zones --image`: FROM scratch, the release binary, its library
# closure and the profiles, built offline with podman (or a running docker). Prints the tag.
image: build
	$(call apt_install,podman runc)
	bash image/build.sh .build/release/tierbench

# docs/options.md from the argument parser (the tests check it is up to date).
docs:
	$(SWIFT) build
	python3 docs/gen-options.py .build/debug/tierbench

bench: build
	TIERBENCH=$(CURDIR)/.build/release/tierbench bash Benchmarks/compare-fio.sh

clean:
	rm -rf .build
