"""What the speed probe found, in sentences: the speed, whether the server ran two requests in
parallel, and what to set so that it does, for the server that answers (checked in the servers'
docs, Dec 2026):

- Ollama runs OLLAMA_NUM_PARALLEL requests of a model at once (recent versions default to 1, older
  ones chose 1 or 4 from the free memory); every slot holds a context of num_ctx tokens on the GPU.
- llama-server runs --parallel (-np) slots; --ctx-size is the total shared by the slots (unless
  --kv-unified), so it must grow with them.
- vLLM batches whatever requests arrive by itself (continuous batching, up to --max-num-seqs):
  nothing to set on the server, only enough requests to send.
"""
from __future__ import annotations

from typing import List

from ...errors import Message
from ..clients.servers import (
    KIND_LLAMA_CPP,
    KIND_OLLAMA,
    KIND_OLLAMA_V1,
    KIND_OPEN_WEBUI,
    KIND_OPEN_WEBUI_OLLAMA,
    KIND_VLLM,
)
from .probe import SpeedProbe

OLLAMA_KINDS = (KIND_OLLAMA, KIND_OLLAMA_V1, KIND_OPEN_WEBUI, KIND_OPEN_WEBUI_OLLAMA)


def _seconds(value: float) -> str:
    return f"{value:.1f}"


def speed_sentence(probe: SpeedProbe) -> str:
    """Seconds per chip and the parallel verdict ('' when nothing was measured)."""
    if probe.seconds_per_chip is None:
        return ""
    said = [Message("{0} s per chip ({1} chips in {2} s, one request alone).",
                    _seconds(probe.seconds_per_chip), probe.chips, _seconds(probe.single_s))]
    if probe.parallel is True:
        said.append(Message(
            "Two requests at once took {0} s against {1} s for one: the server ran them in parallel "
            "({2} s per chip together).", _seconds(probe.pair_s), _seconds(probe.single_s),
            _seconds(probe.run_seconds_per_chip)))
    elif probe.parallel is False:
        said.append(Message(
            "Two requests at once took {0} s against {1} s for one: the server ran them one after the other.",
            _seconds(probe.pair_s), _seconds(probe.single_s)))
    return Message("{0}", said)


def slots_advice(probe: SpeedProbe, kind: str, at_once: int) -> str:
    """What to set so that the server runs requests in parallel ('' when the probe could not tell).

    ``kind`` is the server kind the endpoint check found (servers.KIND_*), ``at_once`` the endpoint's
    'Requests at once'.
    """
    if probe.parallel is None:
        return ""
    if kind == KIND_VLLM:
        if probe.parallel:
            return Message("vLLM batches the requests it receives by itself (up to its --max-num-seqs): set "
                           "'Requests at once' to 4 or more (now {0}).", at_once)
        return Message("vLLM batches requests by itself, yet these two ran one after the other: look at what "
                       "stands in front of it (a gateway that queues), or at a --max-num-seqs of 1.")
    if probe.parallel:
        return Message("Set 'Requests at once' to the number of requests the server runs together ({0}; now "
                       "{1}).", _slots_name(kind), at_once)
    if kind in OLLAMA_KINDS:
        return Message("To run requests in parallel, start Ollama with OLLAMA_NUM_PARALLEL=2 or more (each "
                       "slot keeps its own context of num_ctx tokens in GPU memory) and set 'Requests at once' "
                       "to the same number.")
    if kind == KIND_LLAMA_CPP:
        return Message("To run requests in parallel, start llama-server with --parallel 2 or more and a "
                       "--ctx-size that many times what one request needs (the slots share it), and set "
                       "'Requests at once' to the same number.")
    return Message("To run requests in parallel, give the server behind this address more slots (Ollama: "
                   "OLLAMA_NUM_PARALLEL; llama-server: --parallel; vLLM batches by itself) and set 'Requests "
                   "at once' to match.")


def _slots_name(kind: str) -> str:
    if kind in OLLAMA_KINDS:
        return "OLLAMA_NUM_PARALLEL"
    if kind == KIND_LLAMA_CPP:
        return "--parallel"
    return Message("the server's own setting")


def probe_sentences(probe: SpeedProbe, kind: str, at_once: int) -> List[str]:
    """Everything the probe has to say, a sentence (or two) each, problems last."""
    said = [speed_sentence(probe), slots_advice(probe, kind, at_once)]
    if probe.index_path:
        said.append(Message("Measured with two chips of {0}.", probe.index_path))
    else:
        said.append(Message("Measured with the two sample chips shipped with ChipVLM."))
    return [s for s in said if s] + list(probe.problems)
