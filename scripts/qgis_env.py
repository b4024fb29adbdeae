"""Prepare a QGIS profile in build/ where ChipVLM is installed from this working tree and enabled.

Used by `make run`, `make demo` and the qgis_process tests:
    python scripts/qgis_env.py qgis                      # QGIS desktop with the plugin enabled
    python scripts/qgis_env.py --print-env               # the environment, as shell export lines
"""
import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def plugin_folder(build: Path = ROOT / "build") -> Path:
    """build/plugins, holding chipvlm -> this repository: the package name QGIS gives the plugin."""
    plugins = build / "plugins"
    plugins.mkdir(parents=True, exist_ok=True)
    link = plugins / "chipvlm"
    if link.is_symlink() and Path(os.readlink(link)) != ROOT:
        link.unlink()
    if not link.exists():
        try:
            link.symlink_to(ROOT, target_is_directory=True)
        except FileExistsError:  # another process made it meanwhile
            pass
    return plugins


def expose_package() -> Path:
    """Make `import chipvlm` work in this process (tests, benchmarks, scripts); returns the folder."""
    plugins = plugin_folder()
    if str(plugins) not in sys.path:
        sys.path.insert(0, str(plugins))
    return plugins


def prepare(build: Path = ROOT / "build") -> dict:
    """Create build/plugins/chipvlm -> repo and a profile enabling it; return the env variables."""
    plugins = plugin_folder(build)
    config = build / "qgis-profile"
    ini = config / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True, exist_ok=True)
    text = ini.read_text(encoding="utf-8") if ini.exists() else ""
    if "chipvlm=true" not in text:
        # qgis_process (3.22) only loads plugins enabled in the profile
        ini.write_text(text + "\n[PythonPlugins]\nchipvlm=true\n", encoding="utf-8")
    return {
        "QGIS_PLUGINPATH": str(plugins),
        "QGIS_CUSTOM_CONFIG_PATH": str(config),
    }


def qgis_process_command() -> list:
    """Debian's `qgis_process` wrapper passes --noversioncheck, which 3.22 rejects: call the binary."""
    for candidate in ("/usr/bin/qgis_process.bin", "/usr/lib/qgis/qgis_process", "/usr/bin/qgis_process"):
        if os.path.exists(candidate):
            return [candidate]
    return ["qgis_process"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--print-env", action="store_true", help="print shell export lines")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="a command to run in that environment")
    args = parser.parse_args(argv)
    env = prepare()
    if args.command:
        os.execvpe(args.command[0], args.command, dict(os.environ, **env))
    if args.print_env:
        for key, value in env.items():
            print(f"export {key}='{value}'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
