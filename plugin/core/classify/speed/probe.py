"""The speed probe behind the endpoint Test: one real batch, then two at once.

`probe_sample` picks two chips: two of the last chips index when it can be read, else the two real
chips shipped in resources/probe/. `probe_speed` sends them as a run would (the run's prompt,
schema and client): a first request that may wait for the server to load the model and only checks
the answer, then one request alone (seconds per chip), then two requests at once; comparing the
wall time of the pair with the one alone says whether the server ran them in parallel.

Every request sends the chips turned by another quarter turn: the same pixels to look at, but
never an image the server has just seen, so a prefix cache (Ollama, vLLM and llama-server keep the
KV cache of an identical prompt start) cannot make a repeat look faster than a run's new chips.
"""
from __future__ import annotations

import base64
import io
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Tuple

from ...chips.index import read_chip_index
from ...errors import Message
from ...resources import resource_path
from ...schemes import Scheme
from ..answer.parse import InvalidAnswerError, parse_answer
from ..clients.endpoints import EndpointConfig
from ..clients.factory import make_client
from ..clients.failures import SCHEMA_REFUSED, RequestFailedError, failure_meaning
from ..request.chip_payload import ChipImage, encode_chip
from ..request.prompts import PromptTemplate
from ..request.schemas import SIMPLE, STRICT, answer_schema

PROBE_CHIPS = 2  # chips per request: a real batch, cheap enough to send four times
# two requests at once finishing within this many times one alone: the server ran them together
# (1.0 when it has the compute to spare, 2.0 when the second waited for the first)
PARALLEL_BELOW = 1.5
SAMPLE_CHIPS = ((1207, "001207.jpg"), (2415, "002415.jpg"))  # resources/probe/, see its PROVENANCE.md


@dataclass(frozen=True)
class ProbeSample:
    """The chips the probe sends, (fid, path) each, and the index they come from ('' = the shipped pair)."""

    chips: Tuple[Tuple[int, str], ...]
    index_path: str = ""


def probe_sample(index_path: str = "") -> ProbeSample:
    """Two chips of the index when it can be read and has two chip files, else the shipped pair."""
    if index_path:
        try:
            entries = read_chip_index(index_path).entries
        except Exception:  # gone, moved, damaged: the shipped chips measure the server as well
            entries = []
        found = [(entry.fid, entry.path) for entry in entries if entry.found][:PROBE_CHIPS]
        if len(found) == PROBE_CHIPS:
            return ProbeSample(tuple(found), index_path)
    return ProbeSample(tuple((fid, resource_path("probe", name)) for fid, name in SAMPLE_CHIPS))


@dataclass
class SpeedProbe:
    """What the probe measured: seconds of one request alone and of two at once (None: not measured)."""

    chips: int = PROBE_CHIPS  # per request
    index_path: str = ""  # where the chips came from ('' = the shipped sample)
    first_s: Optional[float] = None  # the first request (may include loading the model)
    single_s: Optional[float] = None  # one request alone
    pair_s: Optional[float] = None  # two requests sent at once, until both answered
    answers_valid: bool = True  # every answer had exactly the batch's fids with classes of the scheme
    problems: List[str] = field(default_factory=list)  # a failed request, an answer that did not pass
    server_kind: str = ""  # which server answered (servers.KIND_*, from the endpoint check), for the advice

    @property
    def measured(self) -> bool:
        return bool(self.single_s and self.pair_s)

    @property
    def seconds_per_chip(self) -> Optional[float]:
        """One request alone, per chip."""
        return self.single_s / self.chips if self.single_s else None

    @property
    def ratio(self) -> Optional[float]:
        """Wall time of two requests at once over one alone: about 1 in parallel, 2 one after the other."""
        return self.pair_s / self.single_s if self.measured else None

    @property
    def parallel(self) -> Optional[bool]:
        return None if self.ratio is None else self.ratio < PARALLEL_BELOW

    @property
    def run_seconds_per_chip(self) -> Optional[float]:
        """Seconds per chip a run should see: a run keeps at least two requests in flight per endpoint
        (its slots and one queued ahead each), so a server that runs two at once gives the pair's rate."""
        if not self.measured:
            return None
        if self.parallel:
            return self.pair_s / (2 * self.chips)
        return self.seconds_per_chip


def _turned(image: ChipImage, quarter_turns: int) -> ChipImage:
    """The chip turned by quarter turns, in its own format (a new image to the server, the same pixels)."""
    if quarter_turns % 4 == 0:
        return image
    from PIL import Image

    with Image.open(io.BytesIO(base64.b64decode(image.encoded))) as opened:
        turned = opened.rotate(90 * quarter_turns, expand=True)
    buffer = io.BytesIO()
    if image.mime == "image/jpeg":
        turned.convert("RGB").save(buffer, format="JPEG", quality=90)
    else:
        turned.save(buffer, format="PNG", compress_level=1)
    return ChipImage(fid=image.fid, encoded=base64.b64encode(buffer.getvalue()), mime=image.mime)


class _Sender:
    """One request of the probe at a time per call, as a run sends it; remembers the schema the
    server took (the simple one after a refused strict schema, as a run falls back)."""

    def __init__(self, endpoint: EndpointConfig, scheme: Scheme, template: PromptTemplate,
                 client_factory: Callable = make_client):
        self.endpoint = endpoint
        self.scheme = scheme
        self.template = template
        self.client_factory = client_factory
        self.schema_kind = STRICT
        self.lock = threading.Lock()
        self.invalid: List[str] = []

    def send(self, images: List[ChipImage]) -> float:
        """Seconds until the answer came; raises RequestFailedError when no answer came."""
        fids = [image.fid for image in images]
        client = self.client_factory(self.endpoint)
        try:
            while True:
                kind = self.schema_kind
                prompt = self.template.render(fids, self.scheme, kind)
                schema = answer_schema(kind, fids, self.scheme.answerable_ids)
                started = time.monotonic()
                try:
                    reply = client.classify(prompt, images, schema)
                except RequestFailedError as failure:
                    if kind == STRICT and failure_meaning(failure) == SCHEMA_REFUSED:
                        self.schema_kind = SIMPLE
                        continue
                    raise
                seconds = time.monotonic() - started
                break
        finally:
            client.close()
        try:
            parse_answer(reply.text, fids, self.scheme)
        except InvalidAnswerError as invalid:
            with self.lock:
                self.invalid.append(str(invalid))
        return seconds


def probe_speed(endpoint: EndpointConfig, sample: ProbeSample, scheme: Scheme, template: PromptTemplate,
                client_factory: Callable = make_client) -> SpeedProbe:
    """Measure ``endpoint`` with the sample's chips (see the module's docstring); never raises for a
    server's failure: the probe then says what went wrong in ``problems``."""
    result = SpeedProbe(chips=len(sample.chips), index_path=sample.index_path)
    try:
        chips = [encode_chip(path, fid) for fid, path in sample.chips]
    except (OSError, ValueError) as exc:
        result.problems.append(Message("The chips to measure with cannot be read: {0}", str(exc)))
        return result
    sender = _Sender(endpoint, scheme, template, client_factory)
    try:
        result.first_s = sender.send(chips)
        result.single_s = sender.send([_turned(c, 1) for c in chips])
        result.pair_s = _two_at_once(sender, [_turned(c, 2) for c in chips], [_turned(c, 3) for c in chips])
    except RequestFailedError as failure:
        result.problems.append(Message("A measuring request failed: {0}", failure.message))
    if sender.invalid:
        result.answers_valid = False
        result.problems.append(Message(
            "An answer did not pass ChipVLM's checks ({0}); a run splits such batches and asks again.",
            sender.invalid[0]))
    return result


def _two_at_once(sender: _Sender, first: List[ChipImage], second: List[ChipImage]) -> float:
    """Wall time of two requests sent together, until both answered; a failure of either is raised."""
    failures: List[RequestFailedError] = []
    start = threading.Barrier(3)

    def one(images: List[ChipImage]) -> None:
        start.wait()
        try:
            sender.send(images)
        except RequestFailedError as failure:
            failures.append(failure)

    threads = [threading.Thread(target=one, args=(images,), daemon=True) for images in (first, second)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.monotonic()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - began
    if failures:
        raise failures[0]
    return seconds
