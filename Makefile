# 高校思政工作监测平台 — every task a newcomer needs. Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
ADDRESS ?= 127.0.0.1

.PHONY: run test lint format db seed screenshot bench clean

# Create .venv, install, create the database, load sample data if empty (and demo users when
# there is no user: it prints how to sign in), serve on 127.0.0.1:8501 (this machine only;
# docs/deploy.md says how to serve a network).
# As root, also installs a CJK font when none is present (the 通报 PDF and charts need one).
run: $(BIN)/.installed
	@[ "$$(id -u)" -ne 0 ] || fc-list :lang=zh 2>/dev/null | grep -q . || { apt-get update -qq && apt-get install -y -qq fonts-wqy-microhei >/dev/null; }
	$(BIN)/python -m core.cli init-db
	$(BIN)/python -m core.cli seed --if-empty
	$(BIN)/python -m core.cli user demo
	$(BIN)/python -m streamlit run app.py --server.address $(ADDRESS) --server.port $(PORT)

# Install test needs (browser + CJK font when root), lint, run the whole suite.
test: $(BIN)/.installed-dev
	bash scripts/install_test_needs.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

# Lint only.
lint: $(BIN)/.installed-dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

# Rewrite files in the house style.
format: $(BIN)/.installed-dev
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

# Regenerate docs/overview.png (the README screenshot) and docs/review-loop/*.png (the reporting
# loop, listed in docs/review-loop.md) with the browser tests.
screenshot: $(BIN)/.installed-dev
	bash scripts/install_test_needs.sh
	UPDATE_SCREENSHOT=1 $(BIN)/python -m pytest tests/e2e -k "overview or review_loop"

# Print page and intake timings at national scale (3000 institutions × 10 years).
bench: $(BIN)/.installed-dev
	$(BIN)/python -m tests.bench.pages
	$(BIN)/python -m tests.bench.intake

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(BIN)/.installed: requirements.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(BIN)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(BIN)/.installed

# Remove the virtual environment and the local database.
clean:
	rm -rf $(VENV) data
