"""Two classifications into one results file: the second refuses to start, naming the first (issue 7.16)."""
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import chipvlm
from chipvlm.plugin.core.classify.clients.endpoints import EndpointConfig
from chipvlm.plugin.core.classify.run.engine import ClassificationError, run_classification
from chipvlm.plugin.core.classify.run.lock import holder
from chipvlm.plugin.core.classify.run.options import ClassifyOptions
from fakes.ollama import FakeModelServer
from fakes.runs import assert_no_mixup, fast_policy, make_run

SCRIPT = """
import sys
from chipvlm.plugin.core.classify.clients.endpoints import EndpointConfig
from chipvlm.plugin.core.classify.run.engine import run_classification
from chipvlm.plugin.core.classify.run.options import ClassifyOptions
index, url = sys.argv[1], sys.argv[2]
def progress(p):
    print("running", flush=True)
run_classification(ClassifyOptions(index, [EndpointConfig("gpu0", url, model="gemma3:27b", timeout=60)],
                                   "yili8", batch_size=5), progress=progress)
"""


def endpoint(fake):
    return EndpointConfig("gpu0", fake.url, model="gemma3:27b", timeout=60)


def test_a_second_run_into_the_same_results_file_refuses_to_start_naming_the_first(tmp_path):
    index = make_run(tmp_path, range(1, 11))
    running, stop = threading.Event(), threading.Event()
    outcome = {}

    def first():
        try:
            options = ClassifyOptions(str(index), [endpoint(fake)], "yili8", batch_size=5, policy=fast_policy())
            outcome["summary"] = run_classification(options, progress=lambda p: running.set(),
                                                    is_canceled=stop.is_set)
        except BaseException as exc:  # the test must see it, not lose it in the thread
            outcome["error"] = exc

    with FakeModelServer(delay=30) as fake:
        thread = threading.Thread(target=first)
        thread.start()
        try:
            assert running.wait(20), outcome
            with pytest.raises(ClassificationError) as refused:
                run_classification(ClassifyOptions(str(index), [endpoint(fake)], "yili8",
                                                   policy=fast_policy()))
            assert holder(str(tmp_path / "results.sqlite"))["pid"] == os.getpid()
        finally:
            stop.set()
            thread.join(20)
        assert "error" not in outcome and outcome["summary"].canceled
        message = str(refused.value)
        assert "results.sqlite is being written by another classification" in message
        assert f"host {socket.gethostname()}, process {os.getpid()}, started 20" in message
        fake.delay = 0
        summary = run_classification(ClassifyOptions(str(index), [endpoint(fake)], "yili8",
                                                     policy=fast_policy()))
    assert summary.finished and holder(str(tmp_path / "results.sqlite")) is None
    assert_no_mixup(tmp_path / "results.sqlite", range(1, 11), fake)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_run_killed_with_sigkill_leaves_no_lock_behind(tmp_path):
    index = make_run(tmp_path, range(1, 11))
    store = tmp_path / "results.sqlite"
    env = dict(os.environ, PYTHONPATH=str(Path(chipvlm.__path__[0]).parent))
    with FakeModelServer(delay=30) as fake:
        process = subprocess.Popen([sys.executable, "-c", SCRIPT, str(index), fake.url], env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert process.stdout.readline() == "running\n", process.stderr.read()
            with pytest.raises(ClassificationError, match=f"process {process.pid}, started"):
                run_classification(ClassifyOptions(str(index), [endpoint(fake)], "yili8",
                                                   policy=fast_policy()))
            assert holder(str(store))["pid"] == process.pid
            os.kill(process.pid, signal.SIGKILL)
            process.wait(10)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(10)
        assert process.returncode == -signal.SIGKILL
        assert holder(str(store)) is None
        fake.delay = 0
        summary = run_classification(ClassifyOptions(str(index), [endpoint(fake)], "yili8",
                                                     policy=fast_policy()))
    assert summary.finished and summary.classified == 10
    assert_no_mixup(store, range(1, 11), fake)


def test_two_names_of_one_results_file_share_one_lock_across_processes(tmp_path):
    real = tmp_path / "results.sqlite"
    real.write_bytes(b"")
    link = tmp_path / "other_name.sqlite"
    os.symlink(real, link)
    script = ("import sys\nfrom chipvlm.plugin.core.classify.run.lock import RunLock\n"
              "with RunLock(sys.argv[1]):\n    print('held', flush=True)\n    sys.stdin.read()\n")
    env = dict(os.environ, PYTHONPATH=str(Path(chipvlm.__path__[0]).parent))
    process = subprocess.Popen([sys.executable, "-c", script, str(link)], env=env, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert process.stdout.readline() == "held\n", process.stderr.read()
        assert holder(str(real))["pid"] == process.pid
    finally:
        process.stdin.close()
        process.wait(10)
    assert process.returncode == 0 and holder(str(real)) is None
