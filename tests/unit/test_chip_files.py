"""What leaves the machine of a chip file (issue 7 point 7): the decoded image, nothing else.

A PNG's text chunks and a JPEG's EXIF or comment segments can carry any bytes (a password, a whole
file): they are not part of the image and are never sent. A PNG whose pixel data does not inflate to
exactly the rows its header promises, with valid filters and checksums, is refused.
"""
import base64
import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image, PngImagePlugin

from chipvlm.plugin.core.chips.render import encode_png
from chipvlm.plugin.core.classify.request.chip_payload import ChipImageError, encode_chip

SECRET = b"my password is hunter2"


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def chunks(data: bytes):
    """(kind, body) of every chunk of a PNG."""
    pos, found = 8, []
    while pos < len(data):
        length = struct.unpack(">I", data[pos:pos + 4])[0]
        found.append((data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]))
        pos += 12 + length
    return found


def rebuilt(parts) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunk(kind, body) for kind, body in parts)


def sent(tmp_path, data: bytes, name="chip.png"):
    path = tmp_path / name
    path.write_bytes(data)
    image = encode_chip(str(path), 7)
    return image, base64.b64decode(image.encoded)


def pixels(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGBA"))


def textured(mode="RGB", size=(40, 30), seed=3) -> Image.Image:
    rng = np.random.default_rng(seed)
    bands = {"L": 1, "LA": 2, "RGB": 3, "RGBA": 4}[mode]
    array = rng.integers(0, 256, (size[1], size[0], bands), dtype=np.uint8)
    return Image.fromarray(array[:, :, 0] if bands == 1 else array, mode)


def saved(image: Image.Image, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, **options)
    return buffer.getvalue()


def test_a_png_text_chunk_never_leaves_and_the_pixels_do(tmp_path):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SECRET.decode())
    info.add_text("Secret", SECRET.decode(), zip=True)  # zTXt: compressed, so not visible as is
    original = textured()
    data = saved(original, format="PNG", pnginfo=info)
    assert SECRET in data
    image, body = sent(tmp_path, data)
    assert SECRET not in body and b"tEXt" not in body and b"zTXt" not in body
    assert image.mime == "image/png"
    assert np.array_equal(pixels(body), pixels(data))


def test_private_and_unknown_png_chunks_never_leave(tmp_path):
    data = saved(textured(), format="PNG")
    parts = chunks(data)
    hidden = [parts[0], (b"prIv", SECRET), (b"eXIf", SECRET)] + parts[1:-1] + [(b"tIME", SECRET), parts[-1]]
    _, body = sent(tmp_path, rebuilt(hidden))
    assert SECRET not in body
    assert [kind for kind, _ in chunks(body)] == [b"IHDR", b"IDAT", b"IEND"]


def test_our_own_chips_and_clean_pngs_are_sent_byte_for_byte(tmp_path):
    ours = encode_png(np.asarray(textured()))
    assert sent(tmp_path, ours, "ours.png")[1] == ours
    for mode in ("L", "LA", "RGB", "RGBA"):
        data = saved(textured(mode), format="PNG")
        assert sent(tmp_path, data, f"{mode}.png")[1] == data, mode


@pytest.mark.parametrize("mode, options", [
    ("RGB", {"optimize": True}),
    ("I;16", {}),
    ("1", {}),
    ("P", {}),  # a palette: its indices are checked by a full decoder, then the pixels re-encoded
    ("RGB", {"interlace": 1}),
])
def test_other_kinds_of_png_arrive_with_the_same_pixels(tmp_path, mode, options):
    base = textured("RGB")
    image = {"I;16": lambda: base.convert("I").point(lambda v: v * 200).convert("I;16"),
             "1": lambda: base.convert("1"), "P": lambda: base.convert("P")}.get(mode, lambda: base)()
    try:
        data = saved(image, format="PNG", **options)
    except (OSError, ValueError, TypeError) as exc:  # an option this Pillow cannot write
        pytest.skip(f"this Pillow cannot write {mode} {options}: {exc}")
    _, body = sent(tmp_path, data)
    with Image.open(io.BytesIO(body)) as got, Image.open(io.BytesIO(data)) as want:
        assert got.size == want.size
        assert np.array_equal(np.asarray(got.convert("RGB")), np.asarray(want.convert("RGB")))


def broken(data: bytes, change) -> bytes:
    """The PNG with its IDAT body changed by ``change`` and its checksum made right again."""
    parts = chunks(data)
    return rebuilt([(kind, change(body) if kind == b"IDAT" else body) for kind, body in parts])


def rows_of(data: bytes) -> bytes:
    return zlib.decompress(b"".join(body for kind, body in chunks(data) if kind == b"IDAT"))


@pytest.mark.parametrize("what, change, message", [
    ("a row short", lambda raw: raw[:-(40 * 3 + 1)], "rows"),
    ("a row too many", lambda raw: raw + raw[-(40 * 3 + 1):], "rows"),
    ("a filter type PNG does not have", lambda raw: b"\x07" + raw[1:], "filter"),
])
def test_pixel_data_that_does_not_match_its_header_is_refused(tmp_path, what, change, message):
    data = saved(textured(), format="PNG")
    bad = broken(data, lambda body: zlib.compress(change(rows_of(data))))
    with pytest.raises(ChipImageError, match=message):
        sent(tmp_path, bad)


def test_a_wrong_checksum_or_a_cut_stream_is_refused(tmp_path):
    data = saved(textured(), format="PNG")
    position = data.index(b"IDAT") + 20
    flipped = data[:position] + bytes([data[position] ^ 0x40]) + data[position + 1:]
    with pytest.raises(ChipImageError, match="checksum"):
        sent(tmp_path, flipped, "crc.png")
    with pytest.raises(ChipImageError):
        sent(tmp_path, broken(data, lambda body: body[: len(body) // 2]), "cut.png")
    with pytest.raises(ChipImageError):
        sent(tmp_path, broken(data, lambda body: body + b"trailing bytes inside the image data"), "tail.png")
    without_end = data[: data.index(b"IEND") - 4]
    with pytest.raises(ChipImageError):
        sent(tmp_path, without_end, "noend.png")


def test_a_jpeg_comment_or_exif_never_leaves_and_the_pixels_do(tmp_path):
    original = textured(size=(64, 48))
    exif = Image.Exif()
    exif[0x010E] = SECRET.decode()  # ImageDescription
    data = saved(original, format="JPEG", quality=90, exif=exif.tobytes())
    marker = data.index(b"\xff\xdb")  # the first quantisation table: put a comment before it
    data = data[:marker] + b"\xff\xfe" + struct.pack(">H", len(SECRET) + 2) + SECRET + data[marker:]
    assert data.count(SECRET) == 2
    image, body = sent(tmp_path, data, "chip.jpg")
    assert SECRET not in body
    assert image.mime == "image/jpeg"
    assert np.array_equal(pixels(body), pixels(data))  # the same compressed image, only the metadata went


@pytest.mark.parametrize("mode, options", [
    ("RGB", {}), ("RGB", {"progressive": True}), ("RGB", {"restart_marker_blocks": 1}), ("L", {}), ("CMYK", {}),
])
def test_a_clean_jpeg_is_sent_byte_for_byte(tmp_path, mode, options):
    """Progressive scans, restart markers, grey and Adobe CMYK: the walk over the segments keeps them all."""
    data = saved(textured(size=(64, 48)).convert(mode), format="JPEG", quality=90, **options)
    image, body = sent(tmp_path, data, "chip.jpg")
    assert image.mime == "image/jpeg" and body == data
