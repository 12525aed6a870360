# The README contract: `make run` and `make test` work on a fresh Debian 12 machine.
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
ifeq ($(CI),true)
CMAKE_FLAGS += -DPORTIER_WERROR=ON
endif
PORTIER := $(BUILD_DIR)/src/app/portier
# ccache: hash paths relative to the checkout so that clones in other folders (CI) reuse the cache.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true

.PHONY: all deps build run test unit fuzz bench clean

all: build

deps:
	@scripts/install-deps

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS)

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

# First run: var/portier.yaml from the demo template (SQLite in var/data, simulated doors).
var/portier.yaml:
	mkdir -p var
	cp config/portier.demo.yaml var/portier.yaml

run: build var/portier.yaml
	@echo "Portier: open http://127.0.0.1:8080 (first visit creates the admin account). Ctrl-C stops."
	$(PORTIER) serve --config var/portier.yaml

test: build
	@scripts/install-deps --npm
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 600

unit: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -L unit

fuzz: deps
	cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang -DPORTIER_FUZZ=ON -DPORTIER_TESTS=OFF
	cmake --build build-fuzz -j $(JOBS)

bench: build
	bench/run-all $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR) build-fuzz
