# tierbench: set-up, build, run, test. Run as root on Debian (apt-get installs what is missing).
SWIFT ?= swift
APT_PACKAGES = liburing-dev fio python3-seccomp

.PHONY: setup build run test bench clean

# Installs the Debian packages that are missing (liburing-dev to build; fio and python3-seccomp for tests).
setup:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq $$missing; \
	fi

build: setup
	$(SWIFT) build -c release

# The default suite on a temporary 1 GiB file under the current directory (removed afterwards).
run: build
	.build/release/tierbench run

test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: build
	TIERBENCH=$(CURDIR)/.build/release/tierbench bash Benchmarks/compare-fio.sh

clean:
	rm -rf .build
