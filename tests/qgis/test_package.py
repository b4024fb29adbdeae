"""`make package` builds a zip that QGIS installs and loads, with nothing from development inside."""
import os
import subprocess
import sys
import zipfile

from conftest import ROOT


def test_package_zip_installs_and_loads_in_qgis(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    import package
    from qgis_env import qgis_process_command

    archive = package.build(tmp_path / "dist")
    names = zipfile.ZipFile(archive).namelist()
    assert "chipvlm/metadata.txt" in names and "chipvlm/__init__.py" in names
    assert "chipvlm/plugin/processing/cut_chips.py" in names
    assert all(name.startswith("chipvlm/") for name in names)
    assert not [n for n in names if "/tests/" in n or "/bench/" in n or "__pycache__" in n or n.endswith("Makefile")]

    plugins = tmp_path / "plugins"
    zipfile.ZipFile(archive).extractall(plugins)  # what "Install from ZIP" does
    config = tmp_path / "profile"
    ini = config / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text("[PythonPlugins]\nchipvlm=true\n")
    env = dict(os.environ, QGIS_PLUGINPATH=str(plugins), QGIS_CUSTOM_CONFIG_PATH=str(config),
               QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(qgis_process_command() + ["help", "chipvlm:cutchips"], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "OUTPUT_FOLDER" in done.stdout and "CHIP_SIZE" in done.stdout
