"""The image inside a chip file, and nothing else: the strict readers behind encode_chip.

`png_image` reads a PNG the way a decoder must: every kept chunk's checksum, a header PNG allows, the
pixel data inflated in full (zlib checks its own Adler-32) to exactly the rows the header promises,
each row's filter one that PNG has. What it returns is a PNG of the image's own chunks (IHDR, PLTE,
tRNS, IDAT, IEND): text, EXIF, private and animation chunks, and bytes after IEND, which may carry
anything, are left behind. Undoing the row filters is arithmetic that cannot fail once the filter
types are valid, so the pixels are fully determined without spending the time a decoder spends
building them (the rows are inflated, checked and dropped; measured in docs/benchmarks.md).
A PNG kind it does not read itself (palette, interlaced) gets None: encode_chip then has Pillow
decode it and re-encodes the pixels.

`jpeg_image` returns a JPEG's bytes without its application and comment segments (EXIF, XMP,
comments, thumbnails); Pillow still decodes the whole image first (libjpeg is fast).
"""
from __future__ import annotations

import struct
import zlib
from typing import Optional

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_START = b"\xff\xd8"

# the chunks that make the image: everything else is left behind
_PNG_KEPT = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}
# colour type -> channels, and the bit depths PNG allows for it
_PNG_KINDS = {0: (1, (1, 2, 4, 8, 16)), 2: (3, (8, 16)), 3: (1, (1, 2, 4, 8)), 4: (2, (8, 16)), 6: (4, (8, 16))}
_PNG_FILTERS = bytes(range(5))  # None, Sub, Up, Average, Paeth


class BrokenImageError(ValueError):
    """The file claims to be an image and is not a whole one; the message says what is wrong."""


def png_image(data: bytes, max_pixels: int) -> Optional[bytes]:
    """The PNG of ``data``'s image alone, after checking all of it; None for a kind we leave to Pillow.

    Raises BrokenImageError for a truncated or corrupt file and for more than ``max_pixels`` pixels.
    """
    if not data.startswith(PNG_SIGNATURE):
        raise BrokenImageError("not a PNG")
    kept, idat, header, dropped = _png_chunks(data)
    width, height, depth, colour, _, _, interlace = _checked_header(header, max_pixels)
    if not idat:
        raise BrokenImageError("it has no image data")
    if colour == 3 or interlace:
        return None  # palette indices and Adam7 passes: Pillow decodes these
    stride = 1 + (width * _PNG_KINDS[colour][0] * depth + 7) // 8
    _check_rows(b"".join(idat), stride, height)
    return data if not dropped else b"".join(kept)


def _png_chunks(data: bytes):
    """The image's chunks (checked), its IDAT bodies, its header and whether anything was left behind."""
    view = memoryview(data)
    kept = [view[:8]]
    idat = []
    header = None
    dropped = False
    pos = 8
    previous = b""
    while True:
        kind, end = _chunk_at(data, pos)
        if kind in _PNG_KEPT:
            header = _checked_chunk(view, data, pos, end, kind, header)
            if kind == b"IDAT":
                if idat and previous != b"IDAT":
                    raise BrokenImageError("its image data is split by other chunks")
                idat.append(view[pos + 8:end - 4])
            kept.append(view[pos:end])
            if kind == b"IEND":
                break
        else:
            dropped = True
        previous = kind
        pos = end
    return kept, idat, header, dropped or end != len(data)


def _chunk_at(data: bytes, pos: int):
    """The kind of the chunk at ``pos`` and where it ends, if the file holds all of it."""
    if pos + 12 > len(data):
        raise BrokenImageError("the file ends before its IEND chunk")
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    end = pos + 12 + length
    if end > len(data):
        raise BrokenImageError(f"the file ends inside its {kind!r} chunk")
    return kind, end


def _checked_chunk(view: memoryview, data: bytes, pos: int, end: int, kind: bytes, header):
    """A chunk of the image checked (checksum; IHDR first and once); returns the header, read from IHDR."""
    if zlib.crc32(view[pos + 4:end - 4]) != struct.unpack(">I", data[end - 4:end])[0]:
        raise BrokenImageError(f"the checksum of its {kind.decode('latin-1')} chunk is wrong")
    if kind == b"IHDR":
        if header is not None or pos != 8 or end - pos - 12 != 13:
            raise BrokenImageError("its IHDR chunk is not the first, or not 13 bytes")
        return struct.unpack(">IIBBBBB", view[pos + 8:end - 4])
    if header is None:
        raise BrokenImageError("it does not start with an IHDR chunk")
    return header


def _checked_header(header, max_pixels: int):
    width, height, depth, colour, compression, filtering, interlace = header
    if width == 0 or height == 0 or colour not in _PNG_KINDS or depth not in _PNG_KINDS[colour][1]:
        raise BrokenImageError(f"its header is not one PNG allows ({width} x {height}, type {colour}, {depth} bit)")
    if width * height > max_pixels:
        raise BrokenImageError(f"{width} x {height} pixels, more than the {max_pixels:,} a chip may have")
    if compression != 0 or filtering != 0 or interlace not in (0, 1):
        raise BrokenImageError("its header names a compression, filter or interlace method PNG does not have")
    return header


def _check_rows(stream: bytes, stride: int, height: int) -> None:
    inflater = zlib.decompressobj()
    expected = stride * height
    try:
        rows = inflater.decompress(stream, expected + 1)
    except zlib.error as exc:
        raise BrokenImageError(f"its image data does not inflate ({exc})") from None
    if len(rows) != expected:
        raise BrokenImageError(f"its image data holds {len(rows) // stride:,} rows of the {height:,} its header says"
                          if len(rows) < expected else f"its image data holds more rows than the {height:,} its "
                          f"header says")
    if not inflater.eof:
        raise BrokenImageError("its image data stops before the end of its compressed stream")
    if inflater.unused_data:
        raise BrokenImageError("its image data has bytes after the end of its compressed stream")
    if rows[::stride].translate(None, _PNG_FILTERS):
        raise BrokenImageError("a row of its image data has a filter type PNG does not have")


# markers without a length: TEM, RST0-7 (SOI and EOI are handled where they stand)
_JPEG_BARE = {0x01, *range(0xD0, 0xD8)}


def jpeg_image(data: bytes) -> Optional[bytes]:
    """A decodable JPEG's bytes without application (APPn) and comment segments; None if unusual.

    Kept: the JFIF header without a thumbnail and Adobe's colour-transform segment (decoders read
    them to know the colour space), and every segment the image is coded with. None means a layout
    this walk does not follow; encode_chip then re-encodes the decoded pixels.
    """
    if not data.startswith(JPEG_START):
        return None
    parts = [data[:2]]
    dropped = False
    pos = 2
    while True:
        if pos + 2 > len(data) or data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xD9:  # EOI
            end = pos + 2
            parts.append(data[pos:end])
            break
        if marker in _JPEG_BARE or marker == 0xFF or pos + 4 > len(data):
            return None
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        end = pos + 2 + length
        if length < 2 or end > len(data):
            return None
        if _jpeg_keeps(marker, data[pos + 4:end], length):
            parts.append(data[pos:end])
        else:
            dropped = True
        if marker == 0xDA:  # start of scan: the coded data runs to the next marker that is not RST
            scan = _scan_end(data, end)
            if scan < 0:
                return None
            parts.append(data[end:scan])
            end = scan
        pos = end
    if end != len(data):
        dropped = True
    return data if not dropped else b"".join(parts)


def _jpeg_keeps(marker: int, segment: bytes, length: int) -> bool:
    """Whether a segment stays: all but application and comment segments, and of those the JFIF header
    without a thumbnail and Adobe's colour transform."""
    if marker == 0xE0 and segment.startswith(b"JFIF\x00") and length == 16 and segment[12:14] == b"\x00\x00":
        return True
    if marker == 0xEE and segment.startswith(b"Adobe") and length == 14:
        return True
    return not (0xE0 <= marker <= 0xEF or marker == 0xFE)


def _scan_end(data: bytes, scan: int) -> int:
    """Where a scan's coded data that starts at ``scan`` ends (the next marker that is not RST); -1: never."""
    while True:
        scan = data.find(b"\xff", scan)
        if scan < 0 or scan + 1 >= len(data):
            return -1
        following = data[scan + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            scan += 1 if following == 0xFF else 2
            continue
        return scan
