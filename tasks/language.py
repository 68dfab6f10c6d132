"""Detect the language of a text: Unicode-script rules first, then langdetect (seeded, one factory per process).

langdetect is the detector of record. py3langid, restricted to langdetect's languages, is an optional second
opinion (offline, deterministic, much faster), chosen with `detector="py3langid"`; it also reads the
paragraphs of long articles to find a real second language cheaply.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

# langdetect looks at about this much text; more only costs time.
MAX_CHARS = 1000
# langdetect's random trials per text (it hard-codes 7). benchmarks/throughput.py measured 3 against 7 on 1,000
# generated bodies and the language benchmark: the same label for every text, the same accuracy at every length,
# 1.9x the speed of the detector (about +35% dumps per CPU-second for a whole worker).
N_TRIAL = 3
# langdetect's random generator seed: unseeded, 1 in 12 short texts changes label between runs.
SEED = 0
# Fewer letters than this and any answer would be a guess.
MIN_LETTERS = 20
UNDETERMINED = "und"
DETECTORS = ("langdetect", "py3langid")

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Letters, and the vowel signs of Indic and Thai scripts (combining marks, which \w does not count).
_LETTER = re.compile(r"[^\W\d_]|[\u0900-\u0dff\u0e00-\u0e7f]")
_ARMENIAN = re.compile(r"[\u0530-\u058f]")
_GEORGIAN = re.compile(r"[\u10a0-\u10ff]")
# Letters that only some languages of a script use: decisive where langdetect confuses neighbours.
_ARABIC_SCRIPT_MARKS = (
    ("ku", re.compile(r"[ێۆڵڕەۊ]")),  # Sorani Kurdish, which langdetect does not know at all
    ("ur", re.compile(r"[ٹڈڑںےھ]")),
    ("fa", re.compile(r"[پچژگ]")),
)
_CYRILLIC_MARKS = (
    ("uk", re.compile(r"[їєґЇЄҐ]")),
    ("be", re.compile(r"[ўЎ]")),
    ("sr", re.compile(r"[ђћџЂЋЏ]")),
    ("mk", re.compile(r"[ѓќѕЃЌЅ]")),
)

_RUNS = {p: re.compile(p.pattern + "+") for p in (_HAN, _KANA, _HANGUL, _ARABIC_SCRIPT, _CYRILLIC, _ARMENIAN, _GEORGIAN,
                                                 *(m for _, m in _ARABIC_SCRIPT_MARKS), *(m for _, m in _CYRILLIC_MARKS))}

_lock = threading.RLock()  # re-entrant: loading py3langid warms langdetect up under the same lock
_ready = False
_langid = None
_fast = None


@dataclass(frozen=True)
class Detection:
    language: str  # ISO 639-1, or 'und'
    score: float  # probability of the winning language
    detector: str  # which step decided: script_rule, langdetect, py3langid, too_short


def _warm_up() -> None:
    """Load langdetect's own factory once, under a lock (loading it is not thread-safe): what tests and benchmarks
    compare the pipeline's detector with; the pipeline itself never needs it."""
    global _ready
    if _ready:
        return
    with _lock:
        if not _ready:
            from langdetect import DetectorFactory
            from langdetect.detector_factory import init_factory

            DetectorFactory.seed = SEED
            init_factory()
            _ready = True


def _langdetect():  # type: ignore[no-untyped-def]
    """langdetect's detector on its loaded profiles, with the inner loops made cheap (tasks/fastdetect.py:
    bit-for-bit the same probabilities as langdetect's own Detector)."""
    global _fast
    if _fast is None:
        with _lock:
            if _fast is None:
                from tasks.fastdetect import FastDetector

                # Read from langdetect's profile files into one matrix; langdetect's own factory (one list of
                # Python floats per n-gram, ~60 MiB in every worker) is never loaded for the pipeline.
                _fast = FastDetector.from_profiles(seed=SEED, n_trial=N_TRIAL)
    return _fast


def _py3langid():  # type: ignore[no-untyped-def]
    """py3langid's model restricted to the languages langdetect knows, loaded once."""
    global _langid
    if _langid is None:
        langlist = _langdetect().langlist
        with _lock:
            if _langid is None:
                from py3langid.langid import MODEL_DIR, MODEL_FILE

                from tasks.fastlangid import CompiledIdentifier

                model = CompiledIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
                known = {code.split("-")[0] for code in langlist}
                model.set_languages(sorted(known & set(model.nb_classes)))
                # set_languages keeps the full table (19 MB) to restrict again later; we never do: the
                # restricted model becomes the full one, and the other is freed.
                model._full_model = (model.nb_ptc, model.nb_pc, model.nb_classes)
                _langid = model
    return _langid


# Any character of the scripts the rules below count: most samples have none, and then no rule applies.
_RULED_SCRIPTS = re.compile("|".join(p.pattern for p in (_HAN, _KANA, _HANGUL, _ARABIC_SCRIPT, _CYRILLIC, _ARMENIAN,
                                                          _GEORGIAN)))
_ASCII_NON_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())
# _LETTER's characters as runs (each of its two classes, disjoint): fewer, longer matches to list than one per
# letter, the same count. Counting is ~40% of detecting a sample's language otherwise.
_LETTER_RUNS = re.compile(r"[^\W\d_\u0900-\u0dff\u0e00-\u0e7f]+|[\u0900-\u0dff\u0e00-\u0e7f]+")


def _letters(sample: str) -> int:
    """How many letters _LETTER finds; for ASCII text (a quarter of the samples), counted without a regex."""
    if sample.isascii():
        return len(sample.encode("ascii").translate(None, _ASCII_NON_LETTERS))
    return sum(map(len, _LETTER_RUNS.findall(sample)))


def _count(script: re.Pattern[str], sample: str) -> int:
    """len(script.findall(sample)) for a one-character class, counted in runs."""
    return sum(map(len, _RUNS[script].findall(sample)))


def detect(text: str, detector: str = "langdetect") -> Detection:
    sample = text[:MAX_CHARS]
    letters = _letters(sample)
    if letters < MIN_LETTERS:
        return Detection(UNDETERMINED, 0.0, "too_short")
    script = _script_language(sample, letters) if _RULED_SCRIPTS.search(sample) else None
    if script is not None:
        return script
    if detector == "py3langid":
        code, prob = _py3langid().classify(sample)
        return Detection(str(code), round(float(prob), 4), "py3langid")
    from langdetect.lang_detect_exception import LangDetectException

    try:
        best = _langdetect().probabilities(sample)[0]
    except LangDetectException:
        return Detection(UNDETERMINED, 0.0, "langdetect")
    code = str(best.lang).split("-")[0]  # zh-cn / zh-tw -> zh
    return Detection(code, round(float(best.prob), 4), "langdetect")


def _script_language(sample: str, letters: int) -> Detection | None:
    """Scripts langdetect mishandles: Chinese with Latin tokens comes out vi/ko/no about half the time;
    Persian, Urdu and Kurdish in Arabic script, and Cyrillic languages, are told apart by their own letters."""
    kana = _count(_KANA, sample)
    hangul = _count(_HANGUL, sample)
    han = _count(_HAN, sample)
    if kana > letters * 0.1:
        return Detection("ja", round((kana + han) / letters, 4), "script_rule")
    if hangul > letters * 0.3:
        return Detection("ko", round(hangul / letters, 4), "script_rule")
    if han > letters * 0.3:
        return Detection("zh", round(han / letters, 4), "script_rule")
    # Scripts langdetect has no profile for at all (it answers Estonian): one script, one language.
    for code, script in (("hy", _ARMENIAN), ("ka", _GEORGIAN)):
        count = _count(script, sample)
        if count > letters * 0.5:
            return Detection(code, round(count / letters, 4), "script_rule")
    for script, marks in ((_ARABIC_SCRIPT, _ARABIC_SCRIPT_MARKS), (_CYRILLIC, _CYRILLIC_MARKS)):
        count = _count(script, sample)
        if count > letters * 0.5:
            for code, pattern in marks:
                # A few marked letters per hundred: a stray borrowed name does not switch the language.
                if _count(pattern, sample) >= max(2, count // 100):
                    return Detection(code, round(count / letters, 4), "script_rule")
    return None


# Paragraphs shorter than this say little about the article's languages (a quote, a name, a caption).
MIXED_MIN_PARAGRAPH = 150
MIXED_MAX_PARAGRAPHS = 6
# Only long articles: langdetect reads the first 1,000 characters, so a second language further on needs this.
MIXED_MIN_ARTICLE = 1500
MIXED_SAMPLE_CHARS = 300  # the first 300 characters of a paragraph tell its language; more only costs time
MIXED_MIN_SHARE = 0.2


@dataclass(frozen=True)
class Mix:
    shares: tuple[tuple[str, float], ...]  # (language, share of the measured characters), largest first
    second_language: str | None  # set only when a real second language is present


def language_mix(paragraphs: Sequence[str]) -> Mix:
    """Languages of a long article's long paragraphs, by share of characters, read with the fast detector.

    A second language counts when it holds at least a fifth of the measured text in two paragraphs or more:
    a short quote or a foreign name never sets it.
    """
    long_ones = [p for p in paragraphs if len(p) >= MIXED_MIN_PARAGRAPH]
    if len(long_ones) < 2 or sum(map(len, long_ones)) < MIXED_MIN_ARTICLE:
        return Mix((), None)  # a short article is read whole by the detector of record
    step = max(1, len(long_ones) // MIXED_MAX_PARAGRAPHS)
    sampled = long_ones[::step][:MIXED_MAX_PARAGRAPHS]
    chars: Counter[str] = Counter()
    paragraphs_by_language: Counter[str] = Counter()
    for p in sampled:
        code = detect(p[:MIXED_SAMPLE_CHARS], detector="py3langid").language
        chars[code] += len(p)
        paragraphs_by_language[code] += 1
    total = sum(chars.values())
    shares = tuple((code, round(n / total, 3)) for code, n in chars.most_common())
    second = None
    if len(shares) > 1:
        code, share = shares[1]
        if share >= MIXED_MIN_SHARE and paragraphs_by_language[code] >= 2 and code != UNDETERMINED:
            second = code
    return Mix(shares, second)
