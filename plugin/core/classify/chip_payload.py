"""What a request carries: chips as base64 (after Pillow decoded every pixel) and the JSON body.

`encode_chip` refuses a file that is not a complete image a chip may be (ChipImageError);
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

# a chip is at most a few thousand pixels a side: more is a decompression bomb, not a chip
MAX_CHIP_PIXELS = 4096 * 4096
MAX_CHIP_BYTES = 64 * 1024 * 1024
_PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"
_JPEG_END = b"\xff\xd9"


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
    """A chip as base64, after Pillow decoded every pixel of it; what is sent is what was decoded.

    A PNG or JPEG that decodes fully and ends where its image ends (IEND, EOI) is sent as its own
    bytes: re-encoding a 512 px chip would cost 20-30 ms of CPU against 4-5 ms for the decode
    (measured), and the model gets the analyst's pixels unchanged. Anything else that decodes (WebP,
    TIFF, an animated PNG, bytes after the image's end) is sent re-encoded as PNG from the decoded
    pixels, so no byte that was not part of the decoded image leaves the machine. A file that is not
    an image, is truncated or has more than MAX_CHIP_PIXELS raises ChipImageError (or OSError).
    """
    from PIL import Image

    with open(path, "rb") as handle:
        data = handle.read(MAX_CHIP_BYTES + 1)
    if len(data) > MAX_CHIP_BYTES:
        raise ChipImageError(f"the file is larger than {MAX_CHIP_BYTES // (1024 * 1024)} MB")
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
        frames = getattr(image, "n_frames", 1)
        if frames == 1 and kind == "PNG" and data.endswith(_PNG_END):
            return ChipImage(fid=int(fid), encoded=base64.b64encode(data), mime="image/png")
        if frames == 1 and kind == "JPEG" and data.endswith(_JPEG_END):
            return ChipImage(fid=int(fid), encoded=base64.b64encode(data), mime="image/jpeg")
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="PNG", compress_level=1)
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
