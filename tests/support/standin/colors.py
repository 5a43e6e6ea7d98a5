"""Colors as the API stores them: 8-bit channels shown as float32, zero channels
left out, and every ``xColor`` mirrored by its ``xColorStyle`` (and back)."""

from __future__ import annotations

import math
import struct
from typing import Any

JsonObj = dict[str, Any]
_CHANNELS = ("red", "green", "blue")


def _float32(value: float) -> float | int:
    exact = float(struct.unpack("f", struct.pack("f", value))[0])
    for digits in range(1, 18):
        text = f"{exact:.{digits}g}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == exact:
            number = float(text)
            return int(number) if number.is_integer() else number
    return exact


def color(value: Any) -> JsonObj:
    """Quantise one Color; channels that end up 0 are omitted (proto3 defaults)."""
    if not isinstance(value, dict):
        return {}
    out: JsonObj = {}
    for key in _CHANNELS:
        channel = value.get(key)
        if channel is None:
            continue
        quantised = _float32(math.floor(float(channel) * 255 + 1e-6) / 255)
        if quantised:
            out[key] = quantised
    if value.get("alpha") is not None:
        out["alpha"] = _float32(float(value["alpha"]))
    return out


def mirror(obj: JsonObj) -> None:
    """Normalise color fields of a format/properties dict in place, both spellings."""
    for key in list(obj):
        if key not in obj:
            continue
        if key.endswith("ColorStyle") and isinstance(obj[key], dict):
            style = obj[key]
            if "rgbColor" in style and style["rgbColor"] is None:
                del obj[key]
                obj.pop(key[: -len("Style")], None)
            elif "rgbColor" in style:
                rgb = color(style.get("rgbColor"))
                obj[key] = {"rgbColor": rgb}
                obj[key[: -len("Style")]] = rgb
            elif "themeColor" not in style:
                del obj[key]
        elif key.endswith("Color") and isinstance(obj[key], dict):
            rgb = color(obj[key])
            obj[key] = rgb
            obj[f"{key}Style"] = {"rgbColor": rgb}
        elif isinstance(obj[key], dict):
            mirror(obj[key])
        elif obj[key] is None:
            del obj[key]
