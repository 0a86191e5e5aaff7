# kehoach — every target installs what it needs first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHARED ?= ../shared
APT    := $(shell command -v sudo >/dev/null 2>&1 && [ "$$(id -u)" != 0 ] && echo sudo) apt-get
export OMP_THREAD_LIMIT ?= 1

.PHONY: install system-deps test-deps dataset docs test eval bench lint samples model eng-channel ocr-channel register clean

install: system-deps $(STAMP)

# System packages: Tesseract with the Vietnamese model, venv support for Python, the serif fonts the OCR
# channel's training pages are rendered in (make ocr-channel, and make eval when its pages are missing;
# Liberation 2, as the 1.x fonts have no Vietnamese letters), and LibreOffice Writer without its GUI (the
# converter of .doc/.odt/.rtf; its recommends, fonts and Java, are not needed for that).
system-deps:
	@missing=""; lo=""; \
	command -v tesseract >/dev/null 2>&1 || missing="$$missing tesseract-ocr"; \
	(tesseract --list-langs 2>/dev/null | grep -qx vie) || missing="$$missing tesseract-ocr-vie"; \
	$(PYTHON) -c "import ensurepip, venv" >/dev/null 2>&1 || missing="$$missing python3-venv"; \
	[ -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || missing="$$missing fonts-liberation2 fonts-dejavu-core"; \
	command -v soffice >/dev/null 2>&1 || lo="libreoffice-writer-nogui"; \
	if [ -n "$$missing$$lo" ]; then \
	  echo "installing system packages:$$missing $$lo"; \
	  $(APT) update -q \
	  && { [ -z "$$missing" ] || DEBIAN_FRONTEND=noninteractive $(APT) install -y -q $$missing; } \
	  && { [ -z "$$lo" ] || DEBIAN_FRONTEND=noninteractive $(APT) install -y -q --no-install-recommends $$lo; }; \
	fi

# Chromium, for the test that opens the HTML report in a headless browser (make test only).
test-deps:
	@command -v chromium >/dev/null 2>&1 || { echo "installing system packages: chromium"; \
	  $(APT) update -q && DEBIAN_FRONTEND=noninteractive $(APT) install -y -q chromium; }

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $(STAMP)

dataset: install
	$(BIN)/kehoach ingest data/raw --out data/processed --prune
	$(BIN)/kehoach report data/processed -o data/processed/report.html

# the data dictionary docs/schema.md, generated from pipeline/schema.py
docs: install
	$(BIN)/python -m pipeline.schema docs/schema.md

test: install test-deps
	$(BIN)/pytest

eval: install
	$(BIN)/python tools/eval.py --shared $(SHARED)

# pyvi (for the restoration comparison) lives in its own virtualenv: it wants other numpy/scikit versions
bench: install
	@[ -x .bench/pyvi/bin/python ] || ($(PYTHON) -m venv .bench/pyvi && .bench/pyvi/bin/pip install -q pyvi==0.1.1) \
	  || echo "pyvi could not be installed; the restoration bench runs without it"
	$(BIN)/python tools/bench.py

lint: install
	$(BIN)/ruff check pipeline extractors normalizers tools tests
	$(BIN)/mypy pipeline extractors normalizers

# the restoration model and legacy-encoding tables, from ../shared/corpus (committed; needs glibc iconv)
model: install eng-channel
	$(BIN)/python tools/build_model.py --shared $(SHARED)

# how Tesseract's English model reads Vietnamese letters (committed: normalizers/data/eng_channel.tsv), from
# ../shared/corpus text rendered, degraded and OCR'd; its model and fonts with Vietnamese letters are needed
# to build the table only, never at run time
eng-channel: install
	@missing=""; \
	(tesseract --list-langs 2>/dev/null | grep -qx eng) || missing="$$missing tesseract-ocr-eng"; \
	[ -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || missing="$$missing fonts-liberation2"; \
	[ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
	  echo "installing build packages:$$missing"; \
	  $(APT) update -q && DEBIAN_FRONTEND=noninteractive $(APT) install -y -q $$missing; \
	fi
	nice $(BIN)/python tools/build_eng_channel.py --shared $(SHARED)

# the channel of Tesseract's mark misreadings (committed: normalizers/data/ocr_channel.json), from pages of
# ../shared/corpus rendered, degraded and read here (a few minutes on one core)
ocr-channel: install
	nice -n 10 $(BIN)/python tools/build_ocr_channel.py --shared $(SHARED)

# the national register of units (committed: normalizers/data/register.csv); fetches the public
# administrative-division data with pip (see normalizers/data/README.md)
register: install
	$(BIN)/python tools/build_register.py

samples: install
	$(BIN)/python tools/make_samples.py --seeds $(SHARED)/seeds

clean:
	rm -rf data/processed/*.parquet data/processed/report.html .eval .bench
