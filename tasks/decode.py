"""Turn a dump's raw bytes into text, recording which encoding it was in."""

from __future__ import annotations

import codecs
import gzip
import zlib
from dataclasses import dataclass

# Ordered: a BOM is proof, so it wins over any guess.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)


class DecodeError(ValueError):
    """The bytes are not text newsprep can read; `reason` is the reject reason."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # utf-8, utf-8-sig, utf-16, cp1252, ... (+ '+crlf' when line ends were CRLF)


def gunzip(raw: bytes) -> bytes:
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as exc:
        raise DecodeError("bad_gzip", f"cannot decompress: {exc}") from exc


def decode(raw: bytes) -> Decoded:
    """Decode UTF-8 (with or without BOM), UTF-16/32 with BOM, else cp1252; normalize line ends to LF."""
    text, encoding = _decode_bytes(raw)
    crlf = "\r\n" in text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DecodeError("empty", "the file holds no text" if raw else "the file is empty")
    return Decoded(text=text, encoding=encoding + ("+crlf" if crlf else ""))


def _decode_bytes(raw: bytes) -> tuple[str, str]:
    if not raw:
        raise DecodeError("empty", "the file is empty")
    for bom, codec, label in _BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom) :].decode(codec), label
            except UnicodeDecodeError as exc:
                raise DecodeError("undecodable", f"{label} BOM but invalid {label} at byte {exc.start}") from exc
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        raise DecodeError("binary", f"NUL byte at offset {offset}: not a text file")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # cp1252 is what Windows scrapers write; it leaves five bytes undefined, so a failure here is real.
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise DecodeError(
            "undecodable", f"neither UTF-8 nor cp1252 (byte 0x{raw[exc.start]:02x} at {exc.start})"
        ) from exc
