"""Which third-party Python packages the plugin needs, and which of them this Python lacks."""
import importlib.util
import sys

# import name -> pip name
REQUIRED = {
    "numpy": "numpy",
    "rasterio": "rasterio",
    "shapely": "shapely",
    "PIL": "Pillow",
    "requests": "requests",
}


def missing_packages() -> list:
    """pip names of the required packages that cannot be imported here."""
    missing = []
    for module, pip_name in REQUIRED.items():
        if module in sys.modules and sys.modules[module] is None:
            missing.append(pip_name)
            continue
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(pip_name)
    return missing


def install_hint(missing: list) -> str:
    """A sentence telling the user how to install what is missing into QGIS's own Python."""
    names = " ".join(missing)
    return (
        f"ChipVLM needs the Python package(s) {', '.join(missing)}, which QGIS's Python does not have. "
        f"Install them and restart QGIS: on Windows open the 'OSGeo4W Shell' and run "
        f"'python -m pip install {names}'; on macOS or Linux run "
        f"'{sys.executable} -m pip install {names}' (or your distribution's python3-<name> packages)."
    )


# import name -> pip name of what one algorithm alone needs (the plugin loads without them)
OPTIONAL = {
    "sklearn": "scikit-learn",  # chipvlm:secondopinion
}


def has_package(module: str) -> bool:
    """Whether `module` can be imported here (without importing it)."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False
