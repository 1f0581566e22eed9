"""A tiny PNG decoder (8-bit greyscale, RGB and RGBA, no interlace) for screenshot checks."""

from __future__ import annotations

import struct
import zlib
from collections import Counter
from dataclasses import dataclass

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}


@dataclass(frozen=True)
class Image:
    """Decoded pixels: ``rows[y]`` is the bytes of row ``y``, ``channels`` bytes a pixel."""

    width: int
    height: int
    channels: int
    rows: tuple[bytes, ...]

    def pixel(self, x: int, y: int) -> bytes:
        """The colour of the pixel at column ``x``, row ``y``."""
        return self.rows[y][x * self.channels:(x + 1) * self.channels]

    def colours(self) -> Counter[bytes]:
        """How many pixels have each colour."""
        step = self.channels
        return Counter(row[i:i + step] for row in self.rows for i in range(0, len(row), step))


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def _unfilter(kind: int, line: bytearray, prior: bytes, bpp: int) -> bytes:
    if kind == 0:
        return bytes(line)
    if kind == 2:
        return bytes((x + p) & 0xFF for x, p in zip(line, prior, strict=True))
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        up = prior[i]
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + (left + up) // 2) & 0xFF
        elif kind == 4:
            line[i] = (line[i] + _paeth(left, up, prior[i - bpp] if i >= bpp else 0)) & 0xFF
        else:
            raise ValueError(f"unknown PNG filter {kind}")
    return bytes(line)


def decode(data: bytes) -> Image:
    """Decode PNG bytes; ValueError for anything this small decoder does not handle."""
    if not data.startswith(_SIGNATURE):
        raise ValueError("not a PNG file")
    pos, header, idat = len(_SIGNATURE), b"", bytearray()
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    if depth != 8 or colour not in _CHANNELS or interlace:
        raise ValueError(f"unsupported PNG (depth {depth}, colour {colour}, "
                         f"interlace {interlace})")
    channels = _CHANNELS[colour]
    stride = width * channels
    raw = zlib.decompress(bytes(idat))
    rows: list[bytes] = []
    prior = bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        prior = _unfilter(raw[start], bytearray(raw[start + 1:start + 1 + stride]), prior,
                          channels)
        rows.append(prior)
    return Image(width, height, channels, tuple(rows))


def is_blank(image: Image) -> bool:
    """True when (nearly) every pixel has the background colour."""
    counts = image.colours()
    background = counts.most_common(1)[0][1]
    return len(counts) < 3 or background > 0.995 * image.width * image.height
