"""A real Open WebUI (pip ``open-webui``) started offline in front of our fake Ollama (make test-gateways).

Not part of ``make test``: tests/conftest.py leaves this folder out unless CHIPVLM_TEST_GATEWAYS is
set, which the Makefile target does after installing open-webui into build/gateways-venv. Without it
every test here is skipped with the reason.
"""
import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from fakes.ollama import FakeModelServer

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BINARY = ROOT / "build" / "gateways-venv" / "bin" / "open-webui"
STARTUP_LIMIT = 300.0  # seconds; it takes about a minute on this machine (imports, database migrations)
EMAIL, PASSWORD = "admin@chipvlm.test", "chipvlm-gateway-test"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def call(url, payload=None, token=None, timeout=10.0):
    request = urllib.request.Request(url, data=json.dumps(payload).encode() if payload is not None else None,
                                     headers={"Content-Type": "application/json"})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


class OpenWebUI:
    def __init__(self, process, url, key, ollama, log_path):
        self.process, self.url, self.key, self.ollama, self.log_path = process, url, key, ollama, log_path


@pytest.fixture(scope="session")
def open_webui(tmp_path_factory):
    binary = Path(os.environ.get("CHIPVLM_OPEN_WEBUI") or DEFAULT_BINARY)
    if not binary.exists():
        pytest.skip(f"open-webui is not installed at {binary} (make test-gateways installs it into "
                    f"build/gateways-venv; it needs PyPI and about 3 minutes)")
    folder = tmp_path_factory.mktemp("open-webui")
    ollama = FakeModelServer().start()
    port = free_port()
    env = dict(os.environ, DATA_DIR=str(folder / "data"), OFFLINE_MODE="True", HF_HUB_OFFLINE="1",
               RAG_EMBEDDING_ENGINE="ollama", ENABLE_API_KEYS="True", OLLAMA_BASE_URL=ollama.url,
               WEBUI_SECRET_KEY="chipvlm-gateway-test", ENABLE_OPENAI_API="False",
               ENABLE_VERSION_UPDATE_CHECK="False")
    log_path = folder / "open-webui.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen([str(binary), "serve", "--host", "127.0.0.1", "--port", str(port)],
                                   env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    try:
        while True:  # a readiness probe: nothing to wait on but its answer
            if process.poll() is not None:
                pytest.skip(f"open-webui exited with {process.returncode} while starting; see {log_path}")
            try:
                if call(url + "/health", timeout=2.0).get("status"):
                    break
            except OSError:
                pass
            if time.monotonic() - started > STARTUP_LIMIT:
                pytest.fail(f"open-webui did not start within {STARTUP_LIMIT:g} s; see {log_path}")
            time.sleep(0.5)
        # the first user is the admin; an API key is made through the API, as a user would in Settings
        call(url + "/api/v1/auths/signup", {"name": "chipvlm", "email": EMAIL, "password": PASSWORD})
        token = call(url + "/api/v1/auths/signin", {"email": EMAIL, "password": PASSWORD})["token"]
        key = call(url + "/api/v1/auths/api_key", {}, token=token)["api_key"]
        print(f"\nopen-webui {call(url + '/api/version')['version']} up in {time.monotonic() - started:.0f} s")
        yield OpenWebUI(process, url, key, ollama, log_path)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # its own session: only what we started
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        ollama.stop()
