"""The plugin's saved settings, behind one small module with prefixed keys (``chipvlm/...``).

Every key the plugin saves is a `Setting` of the table below, with its type and default: a value is
read and parsed here, in one place (a value another version or a hand edit left behind that does not
parse, or lies outside its range, reads as the default), so the dock and the dialogs never parse
settings themselves.

Endpoints are kept as a JSON list under ``chipvlm/endpoints``. An endpoint's API key is never part
of them: only the id of a QGIS authentication configuration (``authcfg``) is saved, and the key is
read from QGIS's authentication database when a run starts (``with_api_keys``).
"""
import json
import math
import time
from dataclasses import asdict, dataclass, fields, replace
from typing import List, Optional, Tuple

from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsSettings

from .core import defaults
from .core.classify.clients.endpoints import EndpointConfig, EndpointError
from .core.classify.speed.probe import SpeedProbe
from .core.training.references import MAX_REFERENCES_PER_CLASS

PREFIX = "chipvlm/"
ENDPOINTS_KEY = PREFIX + "endpoints"  # = ENDPOINTS.full_key (the table is below)
_SAVED_FIELDS = [f.name for f in fields(EndpointConfig) if f.name not in ("api_key", "seconds_per_chip")]
# where an API key may sit in an authentication config: Basic's password, or a header/token method
_KEY_ENTRIES = ("password", "token", "apikey", "api_key", "key")


class SettingsError(ValueError):
    """A saved setting that cannot be used; the message says which and what to do."""


@dataclass(frozen=True)
class Setting:
    """One saved value: its key under chipvlm/, its type (str, int, float, bool or list: stored as a
    JSON list), its default and, for numbers, its range."""

    key: str
    kind: type
    default: object
    minimum: Optional[float] = None
    maximum: Optional[float] = None

    @property
    def full_key(self) -> str:
        return PREFIX + self.key

    def parse(self, value):
        """A stored value as this setting's type; the default when it does not parse or is out of range."""
        if value is None:
            return self.default
        try:
            if self.kind is bool:
                if isinstance(value, str):
                    text = value.strip().lower()
                    if text not in ("1", "true", "yes", "0", "false", "no"):
                        return self.default
                    return text in ("1", "true", "yes")
                return bool(value)
            if self.kind is list:
                items = json.loads(value) if isinstance(value, str) else value
                return list(items) if isinstance(items, list) else self.default
            if self.kind in (int, float):
                number = float(value) if self.kind is float else int(str(value).strip())
                if not math.isfinite(number):
                    return self.default
                if (self.minimum is not None and number < self.minimum) or (
                        self.maximum is not None and number > self.maximum):
                    return self.default
                return number
            return str(value)
        except (TypeError, ValueError, OverflowError):
            return self.default

    def read(self, settings: Optional[QgsSettings] = None):
        return self.parse((settings or QgsSettings()).value(self.full_key, None))

    def write(self, value, settings: Optional[QgsSettings] = None) -> None:
        stored = json.dumps(list(value), ensure_ascii=False) if self.kind is list else self.kind(value)
        (settings or QgsSettings()).setValue(self.full_key, stored)


# -- the table: every key the plugin saves ----------------------------------------------------------
REVIEW_LAST_RUN = Setting("review/last_run", str, "")  # the run the review dock opened last
# the index the Classify dialog offers: the one it classified last, or the one a cut wrote since
CLASSIFY_INDEX = Setting("classify/index", str, "")  # the classify dialog's remembered fields ...
CLASSIFY_SCHEME = Setting("classify/scheme", str, "")  # "": the interface language's (scheme_for_language)
CLASSIFY_MODEL = Setting("classify/model", str, "")
CLASSIFY_BATCH_SIZE = Setting("classify/batch_size", int, defaults.BATCH_SIZE, 1, defaults.MAX_BATCH_SIZE)
CLASSIFY_LIMIT = Setting("classify/limit", int, 0, 0)
CLASSIFY_RETRY_ERRORS = Setting("classify/retry_errors", bool, True)
CLASSIFY_REVIEW_BELOW = Setting("classify/review_below", float, 0.0, 0.0, 1.0)
CLASSIFY_REFERENCES = Setting("classify/references", int, 0, 0, MAX_REFERENCES_PER_CLASS)  # per class
CLASSIFY_REFERENCE_RESULTS = Setting("classify/reference_results", str, "")
CLASSIFY_UNCHECKED = Setting("classify/unchecked_endpoints", list, [])  # names of endpoints left out
ENDPOINTS = Setting("endpoints", list, [])  # JSON list of endpoints: load_endpoints / save_endpoints
# what the endpoint Test measured, one entry per server and model: remember_speed / with_measured_speeds
ENDPOINT_SPEEDS = Setting("endpoint_speeds", list, [])
SETTINGS: Tuple[Setting, ...] = (
    REVIEW_LAST_RUN, CLASSIFY_INDEX, CLASSIFY_SCHEME, CLASSIFY_MODEL, CLASSIFY_BATCH_SIZE, CLASSIFY_LIMIT,
    CLASSIFY_RETRY_ERRORS, CLASSIFY_REVIEW_BELOW, CLASSIFY_REFERENCES, CLASSIFY_REFERENCE_RESULTS,
    CLASSIFY_UNCHECKED, ENDPOINTS, ENDPOINT_SPEEDS,
)
KEPT_SPEEDS = 50  # servers and models whose speed is remembered, the latest measured


def load_endpoints(settings: Optional[QgsSettings] = None) -> List[EndpointConfig]:
    """The endpoints saved in the plugin settings, in their saved order; unreadable entries are skipped."""
    endpoints = []
    for item in ENDPOINTS.read(settings):
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
    ENDPOINTS.write(items, settings)


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
    filled = []
    for endpoint in endpoints:
        try:
            key = api_key_of(endpoint.authcfg)
        except SettingsError as exc:
            raise EndpointError("Endpoint {0}: {1}", repr(endpoint.name), str(exc)) from None
        filled.append(replace(endpoint, api_key=key) if key else endpoint)
    return filled


# -- measured speeds ----------------------------------------------------------------------------------
def _speed_key(endpoint: EndpointConfig) -> list:
    """A speed belongs to a server and a model, whatever the endpoint's name."""
    return [endpoint.url, endpoint.api, endpoint.model]


def remember_speed(endpoint: EndpointConfig, probe: SpeedProbe, settings: Optional[QgsSettings] = None) -> None:
    """Keep what the endpoint Test measured (nothing when it measured nothing)."""
    if not probe.measured:
        return
    key = _speed_key(endpoint)
    kept = [item for item in ENDPOINT_SPEEDS.read(settings) if isinstance(item, dict) and item.get("key") != key]
    kept.append({
        "key": key,
        "seconds_per_chip": round(probe.run_seconds_per_chip, 4),  # what a run should see
        "alone": round(probe.seconds_per_chip, 4),
        "parallel": bool(probe.parallel),
        "measured_at": time.strftime("%Y-%m-%d %H:%M"),
    })
    ENDPOINT_SPEEDS.write(kept[-KEPT_SPEEDS:], settings)


def measured_speed(endpoint: EndpointConfig, settings: Optional[QgsSettings] = None) -> Optional[float]:
    """Seconds per chip a run should see on this server and model, as last measured (None: never)."""
    key = _speed_key(endpoint)
    for item in reversed(ENDPOINT_SPEEDS.read(settings)):
        if isinstance(item, dict) and item.get("key") == key:
            try:
                seconds = float(item.get("seconds_per_chip"))
            except (TypeError, ValueError):
                return None
            return seconds if math.isfinite(seconds) and seconds > 0 else None
    return None


def with_measured_speeds(endpoints: List[EndpointConfig], settings: Optional[QgsSettings] = None
                         ) -> List[EndpointConfig]:
    """Copies of the endpoints with the seconds per chip last measured (for a run's time estimate)."""
    return [replace(e, seconds_per_chip=measured_speed(e, settings)) for e in endpoints]
