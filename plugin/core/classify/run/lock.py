"""One classification at a time per results file: an OS lock on ``<results>.lock`` that dies with its run.

Two runs into one results.sqlite used to classify every chip twice. The first run takes an exclusive
byte-range lock (fcntl on Linux/macOS, msvcrt on Windows) on ``results.sqlite.lock`` and writes who
it is (host, pid, start time) at the top of that file; the second cannot take the lock and refuses
to start with those three facts. The operating system drops the lock when the process ends, kill -9
or power-off of a network client included, so a killed run never blocks the next one; the holder's
facts left in the file are then simply overwritten. sqlite's own locking was not used: holding it
for a whole run would also lock out the review dock, which must read while chips are classified.

POSIX locks belong to the process, and closing any descriptor of the file drops them: a second run
in the same process (two QGIS tasks) is therefore refused from a table of held locks, without ever
opening the file. Other code that must not touch a file being classified (merging results) calls
holder().
"""
from __future__ import annotations

import errno
import json
import os
import socket
import threading
from datetime import datetime, timezone
from typing import Dict, Optional

from ...errors import ChipVLMError, Message

LOCK_SUFFIX = ".lock"
_INFO_BYTES = 1024  # the holder's facts, at the top of the file, padded (no truncation under a lock)
_LOCK_AT = 4096  # the locked byte, past the facts: on Windows a locked byte cannot even be read
_BUSY = {errno.EACCES, errno.EAGAIN, getattr(errno, "EDEADLOCK", errno.EDEADLK)}

_guard = threading.Lock()
_held: Dict[str, "RunLock"] = {}


class RunLockedError(ChipVLMError):
    """Another classification is writing this results file; the message names it."""


def lock_path(results_path: str) -> str:
    """Beside the real results file: two names of one file (a link) share one lock."""
    return os.path.realpath(os.fspath(results_path)) + LOCK_SUFFIX


def _key(results_path: str) -> str:
    return os.path.normcase(os.path.realpath(os.fspath(results_path)))


if os.name == "nt":
    import msvcrt

    def _try_lock(fd: int) -> None:
        os.lseek(fd, _LOCK_AT, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, _LOCK_AT, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> None:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, _LOCK_AT, os.SEEK_SET)

    def _unlock(fd: int) -> None:
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, _LOCK_AT, os.SEEK_SET)


def _read_info(fd: int) -> dict:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        data = json.loads(os.read(fd, _INFO_BYTES).decode("utf-8", "replace").strip() or "{}")
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def describe(info: dict) -> str:
    return (f"host {info.get('host', '?')}, process {info.get('pid', '?')}, started "
            f"{info.get('started', '?')}")


def _refusal(results_path: str, info: dict) -> RunLockedError:
    return RunLockedError(
        "{0} is being written by another classification ({1}); wait until it ends or cancel it, or choose "
        "another results file.", os.fspath(results_path), describe(info))


class RunLock:
    """Held from acquire() to release(); use as a context manager."""

    def __init__(self, results_path: str):
        self.results_path = os.fspath(results_path)
        self.path = lock_path(self.results_path)
        self.info: dict = {}
        self.warning = ""  # set when the file system cannot lock: the run goes on unprotected
        self._fd: Optional[int] = None
        self._key = _key(self.results_path)

    def acquire(self) -> "RunLock":
        with _guard:
            other = _held.get(self._key)
            if other is not None:
                raise _refusal(self.results_path, other.info)
            os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)  # as the store does
            for _ in range(10):
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
                try:
                    _try_lock(fd)
                except OSError as exc:
                    if exc.errno in _BUSY:
                        info = _read_info(fd)
                        os.close(fd)
                        raise _refusal(self.results_path, info) from None
                    os.close(fd)
                    self.warning = Message("{0} cannot be locked ({1}); a second classification into {2} at the "
                                           "same time would not be noticed.", self.path, exc.strerror,
                                           self.results_path)
                    return self
                try:  # a run that just ended removed the file we opened: lock the new one instead
                    same = os.path.samestat(os.fstat(fd), os.stat(self.path))
                except OSError:
                    same = False
                if same:
                    break
                _unlock(fd)
                os.close(fd)
            else:  # pragma: no cover - ten runs ending at the very same moment
                raise _refusal(self.results_path, {})
            self.info = {"host": socket.gethostname(), "pid": os.getpid(),
                         "started": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")}
            text = json.dumps(self.info).encode("utf-8")
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, text + b" " * max(0, _INFO_BYTES - len(text)))
            self._fd = fd
            _held[self._key] = self
        return self

    def release(self) -> None:
        with _guard:
            fd, self._fd = self._fd, None
            if fd is None:
                return
            if _held.get(self._key) is self:
                del _held[self._key]
            if os.name != "nt":
                try:  # under the lock: whoever waits on the old file sees it is gone and retries
                    os.remove(self.path)
                except OSError:
                    pass
            try:
                _unlock(fd)
            except OSError:
                pass
            os.close(fd)
            if os.name == "nt":
                try:
                    os.remove(self.path)
                except OSError:
                    pass  # another process has it open: it is harmless and taken over next time

    def __enter__(self) -> "RunLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def holder(results_path: str) -> Optional[dict]:
    """Who is classifying into ``results_path`` now (host, pid, started), or None."""
    with _guard:
        other = _held.get(_key(results_path))
        if other is not None:
            return dict(other.info)
        path = lock_path(results_path)
        try:
            fd = os.open(path, os.O_RDWR)
        except OSError:
            return None
        try:
            try:
                _try_lock(fd)
            except OSError as exc:
                return _read_info(fd) if exc.errno in _BUSY else None
            _unlock(fd)
            return None
        finally:
            os.close(fd)
