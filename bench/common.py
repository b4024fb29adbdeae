"""Shared bits of the benchmarks: make `chipvlm` and the test helpers importable, describe the machine."""
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from qgis_env import expose_package  # noqa: E402

expose_package()  # the repository as the package `chipvlm`
if str(ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests"))  # the test helpers (synthetic rasters, layers)

OUT = ROOT / "bench" / "out"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as handle:
            mem = f", {int(handle.readline().split()[1]) / 1024 / 1024:.0f} GiB RAM"
    except OSError:
        pass
    versions = f"Python {platform.python_version()}"
    try:
        import numpy
        import PIL
        import rasterio

        versions += (f", GDAL {rasterio.__gdal_version__}, rasterio {rasterio.__version__}, numpy {numpy.__version__}, "
                     f"Pillow {PIL.__version__}")
    except ImportError:
        pass
    return (f"{os.cpu_count()} cores ({cpu}){mem}, {platform.platform()}, {versions}, "
            f"{time.strftime('%Y-%m-%d %H:%M %Z')}")


def loadavg() -> tuple:
    """The system's load average over 1, 5 and 15 minutes (other people's work on a shared machine)."""
    try:
        return tuple(round(x, 2) for x in os.getloadavg())
    except OSError:
        return (0.0, 0.0, 0.0)


def system_busy_seconds() -> float:
    """CPU seconds all processes of the machine have used since boot (every core, idle excluded)."""
    try:
        with open("/proc/stat") as handle:
            fields = [int(x) for x in handle.readline().split()[1:]]
    except OSError:
        return 0.0
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int) -> float:
    """CPU seconds used so far by one process (all its threads), from /proc; 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def others_busy(seconds: float = 3.0) -> float:
    """How many cores the rest of the machine keeps busy right now (measured over `seconds`)."""
    own = time.process_time()
    busy, started = system_busy_seconds(), time.monotonic()
    time.sleep(seconds)
    others = system_busy_seconds() - busy - (time.process_time() - own)
    return max(0.0, others / (time.monotonic() - started))


def wait_for_quiet(threshold: float = 0.15, max_wait: float = 600.0) -> float:
    """Wait (up to max_wait s) until other processes use less than `threshold` cores; returns their load."""
    deadline = time.monotonic() + max_wait
    while True:
        others = others_busy()
        if others < threshold or time.monotonic() > deadline:
            return others
        print(f"# waiting for a quiet machine: others use {others:.2f} cores", file=sys.stderr, flush=True)
        time.sleep(7)


ATTEMPTS = 5  # runs of one measurement at most, when other processes disturb it
DISTURBED = 0.1  # cores used by other processes during a measurement above which it is run again


def least_disturbed(measure, describe):
    """Run `measure(attempt)` on a quiet machine, again (up to ATTEMPTS) while other processes disturbed
    it by more than DISTURBED cores; the result with the least disturbance (its "others") wins."""
    best = None
    for attempt in range(1, ATTEMPTS + 1):
        wait_for_quiet()
        result = measure(attempt)
        result["attempts"] = attempt
        print(f"# {describe(result)}, others {result['others']:.2f} cores", file=sys.stderr, flush=True)
        if best is None or result["others"] < best["others"]:
            best = result
        if result["others"] <= DISTURBED:
            break
    return best
