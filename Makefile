# ChipVLM developer commands. `make setup` once on a fresh Debian 12 machine, then `make test`.
SHELL := /bin/bash
SYSTEM_PYTHON := /usr/bin/python3
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEB_PACKAGES := python3-qgis qgis-providers qgis python3-rasterio python3-shapely python3-pil \
	python3-requests python3-numpy python3-sklearn python3-venv python3-pip xvfb xauth fonts-dejavu-core fonts-wqy-microhei \
	qttools5-dev-tools zip gdal-bin
# Only on the host: what make test-matrix needs to build its chroots.
HOST_PACKAGES := debootstrap
PLUGIN_LINKS := build/plugins

.PHONY: setup system-packages venv qt6-venv test test-gateways test-matrix test-matrix-build matrix-shell lint package run demo bench screenshots clean

setup: system-packages venv qt6-venv

system-packages:
	@if dpkg -s $(DEB_PACKAGES) $(HOST_PACKAGES) >/dev/null 2>&1; then echo "Debian packages already installed"; \
	else $(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $(DEB_PACKAGES) $(HOST_PACKAGES); fi

venv:
	@[ -x $(PY) ] || $(SYSTEM_PYTHON) -m venv --system-site-packages $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(PY) -c "import qgis.core, rasterio, shapely, PIL, requests; print('venv ready: QGIS', qgis.core.Qgis.QGIS_VERSION)"

# PyQt6 from PyPI in a venv of its own, for the Qt6 readiness test (which makes it too when missing).
qt6-venv:
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q tests/qgis/test_qt6_readiness.py -k pyqt6

# The core's tests first, without the pytest-qgis plugin (no QgsApplication), then those inside QGIS.
test:
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -p no:pytest_qgis tests/unit
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest tests/qgis

# Refresh the pictures in docs/ that README shows (the same GUI tests, told to save into docs/).
screenshots:
	CHIPVLM_SCREENSHOTS=$(CURDIR)/docs QT_QPA_PLATFORM=offscreen $(PY) -m pytest tests/qgis -k screenshot

# A real Open WebUI (from PyPI, in its own venv under build/) in front of our fake Ollama; not part of
# `make test`. The install (about 4 min on a quiet machine, 8 while make test runs; torch from the local
# wheel first) is kept for the next run, which then takes 30-100 s; when it fails, the tests say so and
# are skipped.
GATEWAYS_VENV := build/gateways-venv
test-gateways:
	@[ -x $(GATEWAYS_VENV)/bin/open-webui ] || { $(SYSTEM_PYTHON) -m venv $(GATEWAYS_VENV) \
		&& $(GATEWAYS_VENV)/bin/pip install --quiet --disable-pip-version-check torch==2.13.0 \
		&& $(GATEWAYS_VENV)/bin/pip install --quiet --disable-pip-version-check open-webui==0.12.4; } \
		|| echo "open-webui could not be installed into $(GATEWAYS_VENV): the gateway tests will be skipped"
	CHIPVLM_TEST_GATEWAYS=1 CHIPVLM_OPEN_WEBUI=$(GATEWAYS_VENV)/bin/open-webui QT_QPA_PLATFORM=offscreen \
		$(PY) -m pytest tests/gateways -rs

# The whole suite on QGIS 3.40 (Debian 13) and 3.44 (sid), in chroots built under build/matrix and reused.
# MATRIX=trixie or MATRIX=sid runs one of them.
MATRIX ?= trixie sid
test-matrix:
	$(SUDO) env DEB_PACKAGES="$(DEB_PACKAGES)" bash scripts/matrix.sh $(MATRIX)

# A shell inside one chroot of test-matrix, the worktree mounted (MATRIX=sid make matrix-shell).
matrix-shell:
	$(SUDO) env DEB_PACKAGES="$(DEB_PACKAGES)" bash scripts/matrix.sh --shell $(firstword $(MATRIX))

# Only build (or check) the chroots of test-matrix, all at once.
test-matrix-build:
	$(SUDO) env DEB_PACKAGES="$(DEB_PACKAGES)" bash scripts/matrix.sh --build $(MATRIX)

lint:
	$(PY) -m ruff check .

package:
	$(PY) scripts/package.py

# Start QGIS with the plugin loaded from this working tree (in its own profile, enabled).
run:
	env -u QT_QPA_PLATFORM $(PY) scripts/qgis_env.py qgis

demo:
	QT_QPA_PLATFORM=offscreen $(PY) scripts/demo.py

bench:
	$(PY) -m pip install -q -r bench/requirements.txt
	QT_QPA_PLATFORM=offscreen $(PY) bench/run.py

clean:
	@if grep -q " $(CURDIR)/build/" /proc/mounts; then $(SUDO) env DEB_PACKAGES=- bash scripts/matrix.sh --unmount; fi
	@if grep -q " $(CURDIR)/build/" /proc/mounts; then echo "mounts left under build/: not removing it" >&2; exit 1; fi
	$(SUDO) rm -rf --one-file-system build dist demo_output bench/out
