"""What a request carries: chips as base64 (the image alone, checked in full) and the JSON body.

`encode_chip` refuses a file that is not a complete image a chip may be (ChipImageError) and sends
only the image of one that is (chip_files.py reads PNG and JPEG strictly);
`json_body` splices the chips' base64 into the JSON text in place of image tokens, so json.dumps
never scans megabytes of base64; `PromptReferences` are the reference examples a request may send
before the batch (SplicedPayload carries them along).
"""
from __future__ import annotations

import base64
import io
import json
import re
from dataclasses import dataclass
from typing import List

from . import chip_files

# a chip is at most a few thousand pixels a side: more is a decompression bomb, not a chip
MAX_CHIP_PIXELS = 4096 * 4096
MAX_CHIP_BYTES = 64 * 1024 * 1024


class ChipImageError(ValueError):
    """A chip file that is not a complete image we may send; the message says why."""


@dataclass(frozen=True)
class ChipImage:
    fid: int
    encoded: bytes  # base64, ASCII
    mime: str

    @property
    def base64(self) -> str:
        return self.encoded.decode("ascii")


def encode_chip(path: str, fid: int) -> ChipImage:
    """A chip as base64: the image it holds and nothing else, checked in full before it is sent.

    A PNG is read by chip_files.png_image (every checksum, every row of pixel data inflated and its
    filter checked, only the image's own chunks kept): 8.6 ms of CPU for a 512 px chip of our own
    encoder against 10.1 ms for Pillow's decode, most of it zlib's inflate (measured 2026-12-01,
    see docs/benchmarks.md for the whole run), and the model gets the analyst's pixels unchanged. A JPEG is decoded by Pillow and sent without its metadata segments. Anything else
    that decodes (WebP, TIFF, a palette or interlaced PNG, a JPEG of unusual layout) is sent
    re-encoded as PNG from the decoded pixels, so no byte that was not part of the decoded image
    leaves the machine. A file that is not an image, is truncated or has more than MAX_CHIP_PIXELS
    raises ChipImageError (or OSError).
    """
    with open(path, "rb") as handle:
        data = handle.read(MAX_CHIP_BYTES + 1)
    if len(data) > MAX_CHIP_BYTES:
        raise ChipImageError(f"the file is larger than {MAX_CHIP_BYTES // (1024 * 1024)} MB")
    if data.startswith(chip_files.PNG_SIGNATURE):
        try:
            png = chip_files.png_image(data, MAX_CHIP_PIXELS)
        except chip_files.BrokenImageError as exc:
            raise ChipImageError(f"not a whole PNG: {exc}") from None
        if png is not None:
            return ChipImage(fid=int(fid), encoded=base64.b64encode(png), mime="image/png")
    return _decoded(data, fid)


def _decoded(data: bytes, fid: int) -> ChipImage:
    """What Pillow decodes of ``data``: a JPEG without its metadata, anything else re-encoded."""
    from PIL import Image

    try:
        image = Image.open(io.BytesIO(data))
    except Exception as exc:  # UnidentifiedImageError, DecompressionBombError, SyntaxError...
        raise ChipImageError(f"not an image ({type(exc).__name__}: {exc})") from None
    with image:
        width, height = image.size
        if width * height > MAX_CHIP_PIXELS:
            raise ChipImageError(
                f"{width} x {height} pixels, more than the {MAX_CHIP_PIXELS:,} a chip may have")
        kind = image.format
        try:
            image.load()  # every pixel: a truncated or corrupt file fails here
        except Exception as exc:
            raise ChipImageError(f"the image does not decode ({type(exc).__name__}: {exc})") from None
        if kind == "JPEG" and getattr(image, "n_frames", 1) == 1:
            jpeg = chip_files.jpeg_image(data)
            if jpeg is not None:
                return ChipImage(fid=int(fid), encoded=base64.b64encode(jpeg), mime="image/jpeg")
        buffer = io.BytesIO()
        image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB").save(
            buffer, format="PNG", compress_level=1)
    return ChipImage(fid=int(fid), encoded=base64.b64encode(buffer.getvalue()), mime="image/png")


@dataclass(frozen=True)
class PromptReferences:
    """Reference examples sent once per request before the batch (REFERENCES): never given a fid.

    ``text`` introduces them and lists their classes (the template's [references] section), ``intro``
    is the same without the list (the OpenAI shape puts each line right before its image), ``lines``
    names each image's class in image order, ``images`` are the pictures. The answer is still checked
    against the batch's fids.
    """

    text: str
    lines: List[str]
    images: List[ChipImage]
    intro: str = ""


class SplicedPayload(dict):
    """A request payload whose image tokens past the batch's stand for ``extra_images``.

    The reference examples ride along this way, so json_body() splices them in like the batch's
    chips (json.dumps of 16 reference chips of 400 KB took 0.3 s a request) and every caller of
    json_body(payload, batch_images) sends them without knowing about them.
    """

    extra_images: List[ChipImage] = []


def with_extra_images(payload: dict, extra: List[ChipImage]) -> dict:
    spliced = SplicedPayload(payload)
    spliced.extra_images = list(extra)
    return spliced


_IMAGE_TOKEN = re.compile(r"@@chipvlm-image-(\d+)@@")


def image_token(position: int) -> str:
    return f"@@chipvlm-image-{position}@@"


def json_body(payload: dict, images: List[ChipImage]) -> bytes:
    """The request body with each image token replaced by the chip's base64.

    json.dumps would scan megabytes of base64 for characters to escape (there are none); splicing
    the images in afterwards halves our CPU time per chip.
    """
    # a payload may carry more images than the batch's (the reference examples, see SplicedPayload)
    images = list(images) + list(getattr(payload, "extra_images", ()))
    parts = _IMAGE_TOKEN.split(json.dumps(payload, ensure_ascii=False))
    # bytes all the way: joining megabytes of base64 with Chinese text as str would widen them all
    return b"".join(
        images[int(part)].encoded if i % 2 else part.encode("utf-8") for i, part in enumerate(parts)
    )
