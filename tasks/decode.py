"""Turn a dump's raw bytes into text, recording which encoding it was in."""

from __future__ import annotations

import codecs
import gzip
import io
import re
import unicodedata
import zlib
from dataclasses import dataclass

from tasks.inputs import Rejected

# Ordered: a BOM is proof, so it wins over any guess.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)


class DecodeError(Rejected, ValueError):
    """The bytes are not text newsprep can read; `reason` is the reject reason."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # utf-8, utf-8-sig, utf-16, cp1252, ... (+ '+crlf' when line ends were CRLF)


def gunzip(raw: bytes, max_bytes: int | None = None) -> bytes:
    """Inflate a gzip file, streaming: past `max_bytes` of output it stops and rejects the file as too_large,
    so a compression bomb costs at most `max_bytes` of memory and the time to inflate that much."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as gz:
            data = gz.read() if max_bytes is None else gz.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise DecodeError("bad_gzip", f"cannot decompress: {exc}") from exc
    if max_bytes is not None and len(data) > max_bytes:
        raise DecodeError("too_large", f"inflates to more than {max_bytes:,} bytes (the limit)")
    return data


def decode(raw: bytes) -> Decoded:
    """Decode UTF-8 (with or without BOM), UTF-16/32 with BOM or with the NUL pattern of mostly-Latin text, else
    the charset charset-normalizer finds (cp1252 when it reads as well); normalize line ends to LF."""
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
        wide = _wide_without_bom(raw)
        if wide is not None:
            return wide
        offset = raw.index(b"\x00")
        raise DecodeError("binary", f"NUL byte at offset {offset}: not a text file")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    lossy = _mostly_utf8(raw)
    if lossy is not None:
        return lossy, "utf-8-lossy"
    controls = len(raw) - len(raw.translate(None, _CONTROL_BYTES))
    if controls > len(raw) * _MAX_CONTROL_SHARE:
        raise DecodeError("binary", f"{controls} control bytes in {len(raw)}: not a text file")
    guess = _detect_charset(raw)
    if guess is not None:
        return guess
    raise DecodeError("undecodable", "not UTF-8, and no single-byte or CJK charset reads it as text")


# Control bytes other than tab, line ends, form feed and escape: text in a single-byte charset has next to none,
# random or compressed data has one in ten. A few left by a bad export are repaired later (tasks/repair.py).
_CONTROL_BYTES = bytes([*range(0x01, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_MAX_CONTROL_SHARE = 0.01
# UTF-16/32 without BOM, in text whose characters are mostly below U+0100 (spaces and punctuation at least):
# (codec, width, byte slots that are NUL, their least NUL share, the slot that is almost never NUL).
_WIDE_LAYOUTS: tuple[tuple[str, int, tuple[int, ...], float, int], ...] = (
    ("utf-32-le", 4, (2, 3), 0.9, 0),
    ("utf-32-be", 4, (0, 1), 0.9, 3),
    ("utf-16-le", 2, (1,), 0.1, 0),
    ("utf-16-be", 2, (0,), 0.1, 1),
)
_TEXT_SAMPLE = 100_000  # characters checked by _reads_as_text: enough to tell, bounded on a 20 MB file


def _wide_without_bom(raw: bytes) -> tuple[str, str] | None:
    """UTF-16 or UTF-32 text saved without a BOM: its NUL bytes sit at fixed positions, never elsewhere.

    Binary data has NULs anywhere; the decoded text must also read as text (printable characters), which a
    binary file with a regular NUL pattern does not.
    """
    for codec, width, zero_slots, least, text_slot in _WIDE_LAYOUTS:
        if len(raw) % width:
            continue
        n = len(raw) // width
        if any(raw[i::width].count(0) < least * n for i in zero_slots) or raw[text_slot::width].count(0) > 0.02 * n:
            continue
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if _reads_as_text(text[:_TEXT_SAMPLE]):
            return text, codec
    return None


def _reads_as_text(text: str) -> bool:
    """At most 1% control, unassigned, private-use or surrogate characters (line ends and tabs are text)."""
    odd = sum(1 for ch in text if ch not in "\n\r\t" and unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs"))
    return odd <= len(text) * 0.01


def _mostly_utf8(raw: bytes) -> str | None:
    """UTF-8 text with a few broken sequences (a truncated copy, a bad splice): keep it, mark the damage.

    Needs real multi-byte characters as proof of UTF-8; otherwise the bytes are more likely another charset.
    """
    text = raw.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    return text if good >= 3 and bad <= max(2, good // 20) else None


# Latin-script single-byte charsets all decode Western text without error and the detector picks among them
# almost at random on short text; cp1252 (what Windows scrapers write) is the better bet in that family.
_LATIN_FAMILY = re.compile(r"^(cp125[0247]|latin_1|iso8859_(1|2|3|4|9|10|13|14|15|16)|mac_.*)$")
_CENTRAL_EUROPEAN = {"Polish", "Czech", "Slovak", "Hungarian", "Croatian", "Slovene", "Romanian"}
_MULTIBYTE_CJK = re.compile(r"^(gb2312|gbk|gb18030|big5|big5hkscs|cp932|shift_jis|euc_jp|euc_kr|cp949|iso2022_.*)$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def _detect_charset(raw: bytes) -> tuple[str, str] | None:
    import charset_normalizer

    best = charset_normalizer.from_bytes(raw).best()
    central = best is not None and best.encoding in ("cp1250", "iso8859_2") and best.language in _CENTRAL_EUROPEAN
    if best is None or (_LATIN_FAMILY.match(best.encoding) and not central):
        try:
            return raw.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass  # one of the five bytes cp1252 leaves undefined: trust the detector's Latin guess, if any
    if best is None:
        return None
    text = str(best)
    if _MULTIBYTE_CJK.match(best.encoding):
        # A CJK guess must give CJK text: two stray bytes read as one odd symbol are not Chinese.
        non_ascii = [ch for ch in text if ord(ch) > 127]
        if not non_ascii or len(_CJK.findall(text)) < 0.3 * len(non_ascii):
            try:  # a lone '©' or 'é' in Western text is what it usually is: cp1252
                return raw.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                return None
    return text, best.encoding
