"""A run killed with SIGKILL halfway loses at most the requests in flight; the rerun finishes the job."""
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import chipvlm
from chipvlm.plugin.core.classify.clients.endpoints import EndpointConfig
from chipvlm.plugin.core.classify.run.engine import run_classification
from chipvlm.plugin.core.classify.run.options import ClassifyOptions
from fakes.ollama import FakeModelServer
from fakes.runs import assert_no_mixup, fast_policy, make_run

SCRIPT = """
import sys
from chipvlm.plugin.core.classify.clients.endpoints import EndpointConfig
from chipvlm.plugin.core.classify.run.engine import run_classification
from chipvlm.plugin.core.classify.run.options import ClassifyOptions
index, url = sys.argv[1], sys.argv[2]
run_classification(ClassifyOptions(index, [EndpointConfig("gpu0", url, model="gemma3:27b", concurrency=2,
                                                         timeout=10)], "yili8", batch_size=5))
"""


def done_count(store):
    if not os.path.exists(store):
        return 0
    con = sqlite3.connect(str(store), timeout=5)
    try:
        return con.execute("SELECT COUNT(*) FROM results WHERE class_id != -1").fetchone()[0]
    except sqlite3.OperationalError:  # the tables are not made yet
        return 0
    finally:
        con.close()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_halfway_then_rerun_gives_every_fid_exactly_once(tmp_path):
    fids = list(range(1, 201))
    index = make_run(tmp_path, fids)
    store = tmp_path / "results.sqlite"
    # the folder holding the ``chipvlm`` link made by tests/conftest.py
    env = dict(os.environ, PYTHONPATH=str(Path(chipvlm.__path__[0]).parent))
    with FakeModelServer(delay=0.05, concurrency=2) as fake:
        process = subprocess.Popen([sys.executable, "-c", SCRIPT, str(index), fake.url], env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 30
            while done_count(store) < 60 and time.monotonic() < deadline and process.poll() is None:
                time.sleep(0.02)
            assert process.poll() is None, process.stderr.read().decode()
            os.kill(process.pid, signal.SIGKILL)
            process.wait(10)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(10)
        assert process.returncode == -signal.SIGKILL
        before = done_count(store)
        assert 60 <= before < 200, "killed halfway"
        asked_before = len(fake.records)
        summary = run_classification(ClassifyOptions(str(index),
                                                     [EndpointConfig("gpu0", fake.url, model="gemma3:27b")],
                                                     "yili8", batch_size=5, policy=fast_policy()))
    assert summary.already_done == before and summary.to_do == 200 - before
    assert summary.classified == 200 - before
    assert_no_mixup(store, fids, fake)
    rerun_fids = [f for record in fake.records[asked_before:] for f in record.fids]
    assert len(rerun_fids) == len(set(rerun_fids)) == 200 - before, "only what was not saved is asked again"
