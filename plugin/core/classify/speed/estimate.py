"""How long a run should take at the speed the endpoint Test measured (EndpointConfig.seconds_per_chip,
filled in from the plugin settings), said once before the run starts."""
from __future__ import annotations

from typing import Optional, Sequence

from ...errors import Message
from ..clients.endpoints import EndpointConfig
from ..run.report import format_duration


def expected_rate(endpoints: Sequence[EndpointConfig]) -> Optional[float]:
    """Chips per second of the measured endpoints together (None: none was measured)."""
    rates = [1.0 / e.seconds_per_chip for e in endpoints if e.seconds_per_chip and e.seconds_per_chip > 0]
    return sum(rates) if rates else None


def run_estimate(chips: int, endpoints: Sequence[EndpointConfig]) -> str:
    """The log line before a run: "about 9 h 40 min for 192,965 chips on 2 endpoints", or why not."""
    measured = [e for e in endpoints if e.seconds_per_chip and e.seconds_per_chip > 0]
    unmeasured = [e.name for e in endpoints if not (e.seconds_per_chip and e.seconds_per_chip > 0)]
    count = f"{int(chips):,}"
    if not measured:
        return Message("No time estimate for {0} chips: the endpoints have not been measured yet ({1}); the "
                       "Test of the Model endpoints dialog measures them.", count, ", ".join(unmeasured))
    duration = format_duration(chips / expected_rate(measured))
    speeds = ", ".join(f"{e.name} {e.seconds_per_chip:.1f} s/chip" for e in measured)
    if len(measured) == 1:
        line = Message("At the measured speed this run should take about {0} for {1} chips on 1 endpoint ({2}).",
                       duration, count, speeds)
    else:
        line = Message("At the measured speed this run should take about {0} for {1} chips on {2} endpoints "
                       "({3}).", duration, count, len(measured), speeds)
    if unmeasured:
        line = Message("{0} Not measured, so not counted: {1}.", line, ", ".join(unmeasured))
    return line
