"""Paths of files shipped in resources/ (icons, class schemes, prompts, translations)."""
from pathlib import Path

RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def resource_path(*parts: str) -> str:
    return str(RESOURCES.joinpath(*parts))


def icon_path(name: str) -> str:
    return resource_path("icons", name)
