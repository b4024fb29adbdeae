"""One HTTP request with a deadline for the whole of it and a cap on the answer's size.

requests' timeout bounds each wait for bytes, not the request: a server that dribbles one byte a
second keeps it open for ever. Here a watchdog thread shuts the request's socket down when the
endpoint's timeout has passed since the request started (sending, the headers and the body alike),
so the blocked read returns at once and the request fails as a timeout. The connection is found
through a pool class that registers every connection a request takes from the pool.

The answer is read as a stream and refused past MAX_ANSWER_BYTES (a real batch answer is a few
KB; a 200 MB answer used to take 1.7 GB of memory and was stored whole on every retry). What the
requests table keeps of an answer is stored_copy(): at most STORED_ANSWER_CHARS, marked when cut.
"""
from __future__ import annotations

import socket
import threading
import time
from typing import List, Optional

import requests
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

MAX_ANSWER_BYTES = 4 * 1024 * 1024
STORED_ANSWER_CHARS = 64 * 1024
_CHUNK = 64 * 1024
_RECHECK = 0.25  # after the deadline, a connection still being opened is cut as soon as it has a socket

_local = threading.local()


class DeadlinePassedError(Exception):
    """The whole request took longer than its deadline and was cut."""

    def __init__(self, answering: bool):
        super().__init__("deadline passed")
        self.answering = answering  # the server had sent its headers: it was answering, too slowly


class AnswerTooLargeError(Exception):
    def __init__(self, status: int, head: bytes):
        super().__init__(f"answer larger than {MAX_ANSWER_BYTES} bytes")
        self.status = status
        self.head = head


def stored_copy(raw: Optional[str]) -> Optional[str]:
    """What the requests table keeps of a raw answer: its first STORED_ANSWER_CHARS, marked when cut."""
    if raw is None or len(raw) <= STORED_ANSWER_CHARS:
        return raw
    return raw[:STORED_ANSWER_CHARS] + f"\n[truncated by ChipVLM: {len(raw):,} characters in all]"


class _Watch:
    """Shuts down the sockets of one request once ``seconds`` have passed, until stop()."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.fired = False
        self._connections: List[object] = []
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="chipvlm-deadline", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._done.set()

    def add(self, connection) -> None:
        with self._lock:
            self._connections.append(connection)

    def _run(self) -> None:
        if self._done.wait(self.seconds):
            return
        while True:
            with self._lock:
                self.fired = True
                connections = list(self._connections)
            for connection in connections:
                sock = getattr(connection, "sock", None)
                if sock is not None:
                    try:
                        sock.shutdown(socket.SHUT_RDWR)  # the blocked recv returns now, on Windows too
                    except OSError:
                        pass
            if self._done.wait(_RECHECK):
                return


def _register(connection) -> None:
    watch = getattr(_local, "watch", None)
    if watch is not None:
        watch.add(connection)


class _WatchedHTTPPool(HTTPConnectionPool):
    def _get_conn(self, timeout=None):
        connection = super()._get_conn(timeout)
        _register(connection)
        return connection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    def _get_conn(self, timeout=None):
        connection = super()._get_conn(timeout)
        _register(connection)
        return connection


class DeadlineAdapter(HTTPAdapter):
    """requests' adapter whose pools let a request's watchdog find its connection."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


def mount(session: requests.Session) -> None:
    """Make ``session`` ready for request(): watched pools, and no compressed answers (a gzip bomb)."""
    session.headers["Accept-Encoding"] = "identity"
    if not isinstance(session.get_adapter("http://x"), DeadlineAdapter):
        session.mount("http://", DeadlineAdapter())
        session.mount("https://", DeadlineAdapter())


def request(session: requests.Session, method: str, url: str, deadline: float, **kwargs) -> requests.Response:
    """session.request(), finished within ``deadline`` seconds with at most MAX_ANSWER_BYTES of body.

    Returns the response with its body read (``.content``, ``.text``, ``.json()`` work) and the
    connection back in the pool; raises DeadlinePassedError, AnswerTooLargeError or requests' own errors.
    """
    watch = _Watch(deadline)
    ends = time.monotonic() + deadline
    _local.watch = watch
    watch.start()
    response = None
    try:
        response = session.request(method, url, stream=True, **kwargs)
        # the body's connection, also when a pool was not ours (a proxy): the watchdog can cut it
        connection = getattr(response.raw, "connection", None) or getattr(response.raw, "_connection", None)
        if connection is not None:
            watch.add(connection)
        try:
            # a socket shut down by the watchdog may end the headers or the body "cleanly": cut is cut
            if watch.fired:
                raise DeadlinePassedError(True)
            body = _read(response, ends)
            if watch.fired:
                raise DeadlinePassedError(True)
        finally:
            response.close()  # a fully read answer gives its connection back; a cut one closes it
        response._content = body
        return response
    except requests.RequestException:
        if watch.fired:
            raise DeadlinePassedError(response is not None) from None
        raise
    finally:
        _local.watch = None
        watch.stop()


def _read(response: requests.Response, ends: float) -> bytes:
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > MAX_ANSWER_BYTES:
        raise AnswerTooLargeError(response.status_code, b"")
    chunks: List[bytes] = []
    size = 0
    for chunk in response.iter_content(_CHUNK):
        size += len(chunk)
        if size > MAX_ANSWER_BYTES:
            chunks.append(chunk)
            raise AnswerTooLargeError(response.status_code, b"".join(chunks)[:STORED_ANSWER_CHARS])
        chunks.append(chunk)
        if time.monotonic() > ends:
            raise DeadlinePassedError(True)
    return b"".join(chunks)
