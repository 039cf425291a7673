# csmetrics: the two commands a fresh clone needs are `make report` and `make test`.
# Each creates .venv (with the machine's python3, 3.11 or newer) and installs what it needs.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PERIOD ?=
DATA   ?= data/sample
ARGS   ?=
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: report test lint lab sample validate benchmark i18n clean help

help:
	@echo "make report     run the monthly report on the bundled sample into reports/<period>/"
	@echo "make test       run the whole test suite"
	@echo "make lab        JupyterLab on notebooks/ with the csmetrics kernel"
	@echo "make validate   data-quality report of DATA (default data/sample)"
	@echo "make sample     regenerate data/sample from the generator"
	@echo "make benchmark  timing and memory benchmarks (slow)"
	@echo "make lint       ruff"
	@echo "make i18n       update the message catalogues from the code, then check them"

# The venv is (re)built when pyproject.toml changes.
$(VENV)/.installed-base: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed-base
	$(PIP) install -e '.[dev]'
	@touch $@

$(VENV)/.installed-lab: pyproject.toml $(VENV)/.installed-base
	$(PIP) install -e '.[lab]'
	$(BIN)/python -m ipykernel install --sys-prefix --name csmetrics --display-name "Python (csmetrics)"
	@touch $@

report: $(VENV)/.installed-base
	$(BIN)/csmetrics report --data $(DATA) $(if $(PERIOD),--period $(PERIOD)) $(ARGS)

# pytest exit code 5 (no test collected) is a failure, never a silent pass. Bytecode is
# cached even where PYTHONDONTWRITEBYTECODE is set: each of the run's ~70 Pythons (workers,
# report kernels, commands) would otherwise compile csmetrics and the tests again.
test: $(VENV)/.installed-dev
	@PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n 2 --dist loadgroup $(ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; exit $$rc

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lab: $(VENV)/.installed-lab
	$(BIN)/jupyter lab notebooks/

validate: $(VENV)/.installed-base
	$(BIN)/csmetrics validate --data $(DATA)

sample: $(VENV)/.installed-base
	$(BIN)/csmetrics sample --out data/sample --force

benchmark: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/sample_bench.py

i18n: $(VENV)/.installed-base
	$(BIN)/python -m csmetrics.catalogue update
	$(BIN)/python -m csmetrics.catalogue check

clean:
	rm -rf $(VENV) reports .pytest_cache .ruff_cache .hypothesis
