"""The plugin's saved settings, behind one small module with prefixed keys (``chipvlm/...``).

Endpoints are kept as a JSON list under ``chipvlm/endpoints``. An endpoint's API key is never part
of them: only the id of a QGIS authentication configuration (``authcfg``) is saved, and the key is
read from QGIS's authentication database when a run starts (``with_api_keys``).
"""
import json
from dataclasses import asdict, fields
from typing import List, Optional

from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsSettings

from .core.classify.endpoints import EndpointConfig, EndpointError

PREFIX = "chipvlm/"
ENDPOINTS_KEY = PREFIX + "endpoints"
_SAVED_FIELDS = [f.name for f in fields(EndpointConfig) if f.name != "api_key"]
# where an API key may sit in an authentication config: Basic's password, or a header/token method
_KEY_ENTRIES = ("password", "token", "apikey", "api_key", "key")


class SettingsError(ValueError):
    """A saved setting that cannot be used; the message says which and what to do."""


def get(key: str, default=None):
    return QgsSettings().value(PREFIX + key, default)


def set_value(key: str, value) -> None:
    QgsSettings().setValue(PREFIX + key, value)


def load_endpoints(settings: Optional[QgsSettings] = None) -> List[EndpointConfig]:
    """The endpoints saved in the plugin settings, in their saved order; unreadable entries are skipped."""
    settings = settings or QgsSettings()
    text = settings.value(ENDPOINTS_KEY, "[]")
    try:
        items = json.loads(text or "[]")
    except (TypeError, ValueError):
        return []
    endpoints = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        known = {k: v for k, v in item.items() if k in _SAVED_FIELDS}
        try:
            endpoints.append(EndpointConfig(**known))
        except TypeError:
            continue
    return endpoints


def save_endpoints(endpoints: List[EndpointConfig], settings: Optional[QgsSettings] = None) -> None:
    """Save the endpoints (validated first); the API key is dropped, only ``authcfg`` is kept."""
    for endpoint in endpoints:
        endpoint.validate()
    items = [{k: v for k, v in asdict(e).items() if k in _SAVED_FIELDS} for e in endpoints]
    (settings or QgsSettings()).setValue(ENDPOINTS_KEY, json.dumps(items, ensure_ascii=False))


def api_key_of(authcfg: str) -> str:
    """The API key held by a QGIS authentication configuration ('' when there is none)."""
    if not authcfg:
        return ""
    manager = QgsApplication.authManager()
    config = QgsAuthMethodConfig()
    if not manager.loadAuthenticationConfig(authcfg, config, True) or not config.isValid():
        raise SettingsError(
            f"The QGIS authentication configuration {authcfg!r} cannot be read (is the master password "
            f"set, and does the configuration still exist?)."
        )
    for entry in _KEY_ENTRIES:
        value = config.config(entry, "")
        if value:
            return value
    raise SettingsError(
        f"The QGIS authentication configuration {authcfg!r} holds no key: use the Basic method with the "
        f"API key as password."
    )


def with_api_keys(endpoints: List[EndpointConfig]) -> List[EndpointConfig]:
    """Copies of the endpoints with their API keys filled in from the authentication database."""
    from dataclasses import replace

    filled = []
    for endpoint in endpoints:
        try:
            key = api_key_of(endpoint.authcfg)
        except SettingsError as exc:
            raise EndpointError(f"Endpoint {endpoint.name!r}: {exc}") from None
        filled.append(replace(endpoint, api_key=key) if key else endpoint)
    return filled
