"""The packaged zip, installed as *Install from ZIP* does (unzipped into a profile's python/plugins),
loads in the QGIS desktop of the machine, under Xvfb: 3.22 in `make test`, 3.40 and 3.44 in
`make test-matrix`. The plugin's menu is there and its review dock opens; a picture of the window is
saved (into docs/ when `make screenshots` runs it on 3.44: docs/qgis-3.44-desktop.png).
"""
import json
import os
import shutil
import subprocess
import sys
import zipfile

import pytest
from qgis.core import Qgis

from conftest import ROOT
from helpers.screenshots import screenshot_path

PROFILE = "chipvlm-test"


def test_the_zip_installs_into_a_profile_and_loads_in_the_qgis_desktop(tmp_path):
    for program in ("qgis", "xvfb-run"):
        if shutil.which(program) is None:
            pytest.skip(f"{program} is not installed (make setup installs it): the desktop is not checked")
    sys.path.insert(0, str(ROOT / "scripts"))
    import package

    archive = package.build(tmp_path / "dist")
    profiles = tmp_path / "qgis"  # --profiles-path: QGIS keeps its profiles in its profiles/ folder
    profile = profiles / "profiles" / PROFILE
    plugins = profile / "python" / "plugins"
    plugins.mkdir(parents=True)
    zipfile.ZipFile(archive).extractall(plugins)  # what "Install from ZIP" does
    ini = profile / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text("[PythonPlugins]\nchipvlm=true\n\n[qgis]\ncheckVersion=false\n", encoding="utf-8")

    major_minor = ".".join(Qgis.QGIS_VERSION.split(".")[:2])
    picture = screenshot_path(f"qgis-{major_minor}-desktop.png", tmp_path)
    out = tmp_path / "desktop.json"
    env = {key: value for key, value in os.environ.items()
           if key not in ("QT_QPA_PLATFORM", "QGIS_PLUGINPATH", "QGIS_CUSTOM_CONFIG_PATH", "PYTHONPATH")}
    env.update(CHIPVLM_DESKTOP_OUT=str(out), CHIPVLM_DESKTOP_PNG=str(picture), HOME=str(tmp_path),
               LANG="en_US.UTF-8", XDG_RUNTIME_DIR=str(tmp_path))
    command = ["xvfb-run", "-a", "-s", "-screen 0 1366x768x24", "qgis", "--profiles-path", str(profiles),
               "--profile", PROFILE, "--nologo", "--noversioncheck", "--code", str(ROOT / "scripts" / "desktop_check.py")]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=240, cwd=str(tmp_path))
    assert out.exists(), f"QGIS exited {done.returncode} without a report:\n{done.stderr[-3000:]}"
    found = json.loads(out.read_text(encoding="utf-8"))
    assert "error" not in found, found["error"]
    assert found["qgis"] == Qgis.QGIS_VERSION
    assert found["loaded"] and "chipvlm" in found["active_plugins"], found
    assert found["plugin_file"].startswith(str(plugins / "chipvlm")), found["plugin_file"]  # the unzipped copy
    assert found["menu"][:2] == ["Cut chips…", "Classify chips…"] and "Review results" in found["menu"], found
    assert found["dock_visible"], found
    assert not [m for m in found["messages"] if "ChipVLM" in m or "chipvlm" in m], found["messages"]
    assert found["screenshot"] and picture.stat().st_size > 10000
