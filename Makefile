# ChipVLM developer commands. `make setup` once on a fresh Debian 12 machine, then `make test`.
SHELL := /bin/bash
SYSTEM_PYTHON := /usr/bin/python3
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEB_PACKAGES := python3-qgis qgis-providers qgis python3-rasterio python3-shapely python3-pil \
	python3-requests python3-numpy python3-venv python3-pip xvfb xauth fonts-dejavu-core fonts-wqy-microhei \
	qttools5-dev-tools zip gdal-bin
PLUGIN_LINKS := build/plugins

.PHONY: setup system-packages venv test lint package run demo bench screenshots clean

setup: system-packages venv

system-packages:
	@if dpkg -s $(DEB_PACKAGES) >/dev/null 2>&1; then echo "Debian packages already installed"; \
	else $(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $(DEB_PACKAGES); fi

venv:
	@[ -x $(PY) ] || $(SYSTEM_PYTHON) -m venv --system-site-packages $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(PY) -c "import qgis.core, rasterio, shapely, PIL, requests; print('venv ready: QGIS', qgis.core.Qgis.QGIS_VERSION)"

# The core's tests first, without the pytest-qgis plugin (no QgsApplication), then those inside QGIS.
test:
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -p no:pytest_qgis tests/unit
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest tests/qgis

# Refresh the pictures in docs/ that README shows (the same GUI tests, told to save into docs/).
screenshots:
	CHIPVLM_SCREENSHOTS=$(CURDIR)/docs QT_QPA_PLATFORM=offscreen $(PY) -m pytest tests/qgis -k screenshot

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
	QT_QPA_PLATFORM=offscreen $(PY) bench/run.py

clean:
	rm -rf build dist demo_output bench/out
