"""Build dist/chipvlm-<version>.zip, the file QGIS's plugin manager installs ("Install from ZIP").

Only what runs inside QGIS goes in: no tests, benchmarks, scripts or developer files.
"""
import configparser
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INCLUDE = ["metadata.txt", "__init__.py", "requirements.txt", "README.md", "LICENSE", "plugin", "resources"]
SKIP_SUFFIXES = {".pyc", ".pyo", ".ts"}
SKIP_DIRS = {"__pycache__"}


def version() -> str:
    meta = configparser.ConfigParser()
    meta.read(ROOT / "metadata.txt", encoding="utf-8")
    return meta["general"]["version"]


def files():
    for name in INCLUDE:
        path = ROOT / name
        if path.is_file():
            yield path
        elif path.is_dir():
            for item in sorted(path.rglob("*")):
                if item.is_file() and item.suffix not in SKIP_SUFFIXES and not SKIP_DIRS & set(item.parts):
                    yield item


def build(dist: Path = ROOT / "dist") -> Path:
    dist.mkdir(exist_ok=True)
    target = dist / f"chipvlm-{version()}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files():
            archive.write(path, "chipvlm/" + path.relative_to(ROOT).as_posix())
    return target


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist"))
