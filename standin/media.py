"""What the stand-in checks in an uploaded photo, as Telegram would refuse a bad one.

Telegram accepts JPEG, PNG and other images; the stand-in reads PNG only (the one format the
bot sends), from its header: the signature, the IHDR chunk with width and height, and the
IEND chunk that closes a complete file. Anything else is refused as Telegram refuses data it
cannot process.
"""

from __future__ import annotations

import struct

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"
MAX_PHOTO_BYTES = 10 * 1024 * 1024  # Bot API: photos up to 10 MB
MAX_PHOTO_SIDES = 10_000  # width + height at most 10,000
MAX_PHOTO_RATIO = 20  # the longer side at most 20 times the shorter
MAX_CAPTION = 1024
PHOTO_SIDES = (90, 320, 800, 1280)  # the sizes Telegram offers back, longest side


class NotAnImage(ValueError):
    """The upload is not an image the stand-in can read."""


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk; NotAnImage for anything else."""
    if len(data) < 33 + len(PNG_END) or not data.startswith(PNG_SIGNATURE):
        raise NotAnImage("not a PNG: no PNG signature")
    if data[12:16] != b"IHDR":
        raise NotAnImage("not a PNG: IHDR is not the first chunk")
    width, height = struct.unpack(">II", data[16:24])
    if not data.endswith(PNG_END):
        raise NotAnImage("a PNG cut short: no IEND chunk")
    if width == 0 or height == 0:
        raise NotAnImage("a PNG of no size")
    return width, height


def photo_sizes(file_key: str, width: int, height: int, size: int) -> list[dict[str, object]]:
    """The PhotoSize list Telegram answers with: smaller copies, then the largest kept."""
    longest = max(width, height)
    sides = [s for s in PHOTO_SIDES if s < longest] + [min(longest, PHOTO_SIDES[-1])]
    sizes = []
    for i, side in enumerate(sides):
        scale = side / longest
        sizes.append(
            {
                "file_id": f"AgAC-{file_key}-{i}",
                "file_unique_id": f"AQAD-{file_key}-{i}",
                "width": max(1, round(width * scale)),
                "height": max(1, round(height * scale)),
                "file_size": max(1, round(size * scale * scale)),
            }
        )
    return sizes
