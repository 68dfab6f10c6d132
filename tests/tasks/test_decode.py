"""tasks/decode.py: bytes to text, the encoding recorded, line ends normalized, bad input rejected with a reason."""

from __future__ import annotations

import codecs
import gzip

import pytest

from tasks.decode import Decoded, DecodeError, decode, gunzip

SAMPLE = "Año nuevo – “día” de façade\nSecond line"


def test_plain_utf8() -> None:
    assert decode(SAMPLE.encode("utf-8")) == Decoded(text=SAMPLE, encoding="utf-8")


def test_utf8_with_bom_drops_the_bom() -> None:
    result = decode(codecs.BOM_UTF8 + SAMPLE.encode("utf-8"))
    assert result.text == SAMPLE
    assert not result.text.startswith("\ufeff")
    assert result.encoding == "utf-8-sig"


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
    ids=["utf16-le", "utf16-be"],
)
def test_utf16_with_bom(bom: bytes, codec: str) -> None:
    raw = bom + SAMPLE.encode(codec)
    assert b"\x00" in raw  # the NUL bytes of UTF-16 must not read as a binary file
    result = decode(raw)
    assert result.text == SAMPLE
    assert result.encoding == "utf-16"


def test_utf32_bom_is_not_mistaken_for_utf16() -> None:
    result = decode(codecs.BOM_UTF32_LE + SAMPLE.encode("utf-32-le"))
    assert result.text == SAMPLE
    assert result.encoding == "utf-32"


def test_cp1252_fallback() -> None:
    text = "Canción – “quoted”"
    raw = text.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert decode(raw) == Decoded(text=text, encoding="cp1252")


def test_crlf_is_normalized_and_recorded() -> None:
    result = decode(b"first line\r\nsecond line\r\n")
    assert result.text == "first line\nsecond line\n"
    assert "\r" not in result.text
    assert result.encoding == "utf-8+crlf"


def test_crlf_is_recorded_after_the_bom_label() -> None:
    result = decode(codecs.BOM_UTF8 + b"one\r\ntwo")
    assert result == Decoded(text="one\ntwo", encoding="utf-8-sig+crlf")


def test_lone_cr_is_normalized_to_lf() -> None:
    result = decode(b"one\rtwo\rthree")
    assert result.text == "one\ntwo\nthree"
    # Documented on Decoded.encoding: '+crlf' marks CRLF line ends only, not old-Mac lone CRs.
    assert result.encoding == "utf-8"


def test_mixed_crlf_and_lone_cr() -> None:
    result = decode(b"one\r\ntwo\rthree\n")
    assert result.text == "one\ntwo\nthree\n"
    assert result.encoding == "utf-8+crlf"


def test_gzip_round_trip_through_gunzip() -> None:
    raw = gzip.compress(SAMPLE.encode("utf-8"))
    assert gunzip(raw) == SAMPLE.encode("utf-8")
    assert decode(gunzip(raw)) == Decoded(text=SAMPLE, encoding="utf-8")


@pytest.mark.parametrize(
    "raw",
    [b"this is not gzip data", gzip.compress(b"a longer text to compress here")[:-6], b"\x1f\x8b\x08garbage"],
    ids=["not-gzip", "truncated", "gzip-magic-then-garbage"],
)
def test_bad_gzip(raw: bytes) -> None:
    with pytest.raises(DecodeError) as info:
        gunzip(raw)
    assert info.value.reason == "bad_gzip"
    assert info.value.detail.startswith("cannot decompress")


def test_empty_gzip_input_is_left_to_decode_to_reject() -> None:
    # gzip.decompress(b"") is b"": the empty file is then rejected by decode as 'empty', not as bad gzip.
    assert gunzip(b"") == b""
    with pytest.raises(DecodeError) as info:
        decode(gunzip(b""))
    assert info.value.reason == "empty"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty"),
        (b"   \n\t \r\n  ", "empty"),
        (codecs.BOM_UTF8, "empty"),
        (b"PK\x03\x04\x00\x00binary", "binary"),
        (b"text then \x00 a NUL", "binary"),
        (b"abc\x81\x8d", "undecodable"),
        (codecs.BOM_UTF8 + b"abc\xff", "undecodable"),
    ],
    ids=[
        "empty",
        "whitespace-only",
        "bom-only",
        "zip-header",
        "nul-in-text",
        "not-utf8-nor-cp1252",
        "bad-utf8-after-bom",
    ],
)
def test_decode_errors(raw: bytes, reason: str) -> None:
    with pytest.raises(DecodeError) as info:
        decode(raw)
    assert info.value.reason == reason
    assert info.value.detail
    assert str(info.value).startswith(f"{reason}: ")


def test_binary_detail_names_the_nul_offset() -> None:
    with pytest.raises(DecodeError) as info:
        decode(b"abcd\x00ef")
    assert "offset 4" in info.value.detail


def test_empty_details_tell_empty_file_from_blank_text() -> None:
    with pytest.raises(DecodeError) as no_bytes:
        decode(b"")
    with pytest.raises(DecodeError) as blank:
        decode(b" \n ")
    assert no_bytes.value.detail == "the file is empty"
    assert blank.value.detail == "the file holds no text"


def test_decode_error_is_a_value_error() -> None:
    assert issubclass(DecodeError, ValueError)


def test_mostly_utf8_with_a_broken_sequence_is_kept_and_marked() -> None:
    text = "Le président a parlé à la presse, très content. " * 3
    result = decode(text.encode("utf-8") + b"\xff\xfe end")
    assert result.encoding == "utf-8-lossy"
    assert result.text.startswith(text) and result.text.endswith("\ufffd\ufffd end")


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Привет, как дела? Это новость о погоде в Москве сегодня утром.", "cp1251"),
        ("中国外交部发言人表示，双方将继续保持沟通并推动合作。", "gb18030"),
        ("Zażółć gęślą jaźń, powiedział minister w piątek wieczorem w Warszawie.", "cp1250"),
        ("Les élèves français ont été très déçus cette année.", "latin-1"),
    ],
)
def test_other_charsets_are_detected(text: str, codec: str) -> None:
    assert decode(text.encode(codec)).text == text


WIDE = "Año nuevo – “día” de façade.\nThe minister said the plan would go ahead on Monday.\n" * 3


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_without_bom_are_read_from_their_nul_pattern(codec: str) -> None:
    result = decode(WIDE.encode(codec))
    assert result == Decoded(text=WIDE, encoding=codec)


def test_utf16_without_bom_in_cyrillic_is_still_text() -> None:
    text = "Привет, как дела? Это новость о погоде в Москве сегодня утром.\n" * 3
    assert decode(text.encode("utf-16-le")).text == text


@pytest.mark.parametrize(
    "raw",
    [
        bytes(range(256)) * 20,  # NULs anywhere: no wide-text layout
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(1, 256)) * 4,
        b"A\x00\x01\x00\x02\x00\x03\x00" * 200,  # the UTF-16 NUL pattern, but the characters are controls
    ],
    ids=["all-bytes", "png-header", "utf16-pattern-of-controls"],
)
def test_binary_with_nul_bytes_is_binary(raw: bytes) -> None:
    with pytest.raises(DecodeError) as info:
        decode(raw)
    assert info.value.reason == "binary"


def test_binary_without_nul_bytes_is_binary_from_its_control_bytes() -> None:
    raw = bytes(b for b in range(1, 256) if b not in b"\t\n\r") * 40
    with pytest.raises(DecodeError) as info:
        decode(raw)
    assert info.value.reason == "binary" and "control bytes" in info.value.detail


def test_utf8_text_with_a_few_control_characters_stays_text() -> None:
    text = "The minister said the plan would go ahead.\x07 Résumé of the day.\x1b"
    assert decode(text.encode("utf-8")).text == text


def test_gunzip_stops_at_the_limit_without_inflating_a_bomb() -> None:
    bomb = gzip.compress(b"\x00" * (64 << 20), 9)  # 64 MB of zeros in about 64 KB
    assert len(bomb) < 1 << 20
    with pytest.raises(DecodeError) as info:
        gunzip(bomb, max_bytes=1 << 20)
    assert info.value.reason == "too_large" and "1,048,576" in info.value.detail
    assert gunzip(gzip.compress(b"small"), max_bytes=5) == b"small"


def test_gunzip_reads_every_member_of_a_concatenated_gzip() -> None:
    assert gunzip(gzip.compress(b"one ") + gzip.compress(b"two"), max_bytes=100) == b"one two"


def test_a_lone_copyright_sign_in_western_text_is_cp1252_not_japanese():
    """charset-normalizer reads this generated cp1252 page (one '©' in 6.8 KB) as cp932; the CJK guard used to
    reject it as undecodable."""
    from benchmarks.generate import build_pools, dump_file

    _, raw = dump_file(364, 5000, 0, build_pools(0))
    assert raw.count(b"\xa9") == 1 and max(raw.replace(b"\xa9", b"")) < 128
    decoded = decode(raw)
    assert decoded.encoding == "cp1252" and "© 20" in decoded.text
