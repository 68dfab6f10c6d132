"""Turn a dump's raw bytes into text, recording which encoding it was in."""

from __future__ import annotations

import codecs
import gzip
import re
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
    """Decode UTF-8 (with or without BOM), UTF-16/32 with BOM, else the charset charset-normalizer finds
    (cp1252 when it reads as well); normalize line ends to LF."""
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
    lossy = _mostly_utf8(raw)
    if lossy is not None:
        return lossy, "utf-8-lossy"
    guess = _detect_charset(raw)
    if guess is not None:
        return guess
    raise DecodeError("undecodable", "not UTF-8, and no single-byte or CJK charset reads it as text")


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
            return None
    return text, best.encoding
