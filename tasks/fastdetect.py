"""langdetect's detector, the same algorithm on the same profiles, with its inner loops made cheap.

Profiling a worker showed langdetect's pure-Python loops as the largest single cost of a dump (36 %): one method
call per character to build n-grams, and one Python loop over 55 languages per random n-gram drawn. This module
runs the same steps on langdetect's profiles, read from its profile files into one matrix as its factory reads them
(`load_profiles`; `DetectorFactory.word_lang_prob_map` holds the same numbers as Python lists):

- text preparation as `Detector.append` and `Detector.cleaning_text` (including its quirk: every character from
  U+0300 up counts as non-Latin, because it compares a block number with a block name);
- n-grams as `Detector._extract_ngrams`, computed once per distinct word (a word's n-grams do not depend on the
  words around it: the n-gram buffer restarts at every space) through a per-character normalization table;
- the random trials as `Detector._detect_block`: the same `random.Random` seeded the same way and drawn in the
  same order (one gauss per trial, one choice per iteration, `random.choice` inlined), each update
  `p * (weight + q)` in the same order,
  five updates between convergence checks multiplied in one pass, normalization with the same `sum`.

The probabilities are therefore bit-for-bit langdetect's own (tests/tasks/test_fastdetect.py compares both on
every language of the generated corpora and on random text); only the time differs.
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import sys

import numpy as np
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.language import Language
from langdetect.utils.lang_profile import LangProfile
from langdetect.utils.ngram import NGram

_SPACES = re.compile(" {2,}")
_LATIN = re.compile("[A-z]")  # langdetect's own test: 'A' <= ch <= 'z', which includes [\]^_`
_LATIN_RUNS = re.compile("[A-z]+")
_NON_LATIN_RUNS = re.compile("[\u0300-\U0010ffff]+")
_WORD_CACHE_LIMIT = 50_000  # each cache (~15 MB per worker when full); ~32,000 raw tokens after 5,000 generated dumps


class _Normalized(dict):
    """str.translate table: code point -> langdetect's normalized character, filled on first sight."""

    def __missing__(self, code: int) -> str:
        value = NGram.normalize(chr(code))
        self[code] = value
        return value


class FastDetector:
    """One per process: from langdetect's profile files (`from_profiles`, what the pipeline uses) or from a loaded
    factory (`from_factory`, what the tests compare with)."""

    def __init__(self, langlist: list[str], seed: int | None, row: dict[str, int], matrix: np.ndarray,
                 n_trial: int = 7, max_text_length: int = 10_000) -> None:  # fmt: skip
        self.langlist = langlist
        self.seed = seed
        self.n_trial = n_trial
        self.max_text_length = max_text_length
        self.alpha = Detector.ALPHA_DEFAULT
        self._table = _Normalized()
        self._words: dict[tuple[str, bool], tuple[int, ...]] = {}  # normalized word -> rows
        self._tokens: dict[tuple[str, bool], bytes] = {}  # raw token -> rows as packed int32
        self._row = row  # each known n-gram's row of the matrix: its languages' probabilities
        self._matrix = matrix
        self._rows_as_lists: list[list[float]] | None = None
        self._kernel = _kernel_for(seed, matrix)

    @classmethod
    def from_factory(cls, factory, n_trial: int = 7) -> FastDetector:  # type: ignore[no-untyped-def]
        """From langdetect's loaded DetectorFactory: its languages, seed and probabilities, copied."""
        profiles: dict[str, list[float]] = factory.word_lang_prob_map
        row = {gram: i for i, gram in enumerate(profiles)}
        matrix = np.array(list(profiles.values()), dtype=np.float64)
        return cls(list(factory.langlist), factory.seed, row, matrix, n_trial)

    @classmethod
    def from_profiles(cls, seed: int, n_trial: int = 7, directory: str | None = None) -> FastDetector:
        """langdetect's profiles read as `DetectorFactory.load_profile` reads them, straight into the matrix."""
        langlist, row, matrix = load_profiles(directory or PROFILES_DIRECTORY)
        return cls(langlist, seed, row, matrix, n_trial)

    @property
    def _lists(self) -> list[list[float]]:
        """The matrix as langdetect's lists (the same floats), for the Python trials: built when first needed."""
        if self._rows_as_lists is None:
            self._rows_as_lists = self._matrix.tolist()
        return self._rows_as_lists

    # ---- Detector.append + cleaning_text

    def prepare(self, text: str) -> str:
        # Each substitution only when the character it needs is there: a scan for '://', '@' or a combining
        # mark is far cheaper than the patterns (MAIL_RE tries a word at every position).
        if "://" in text:
            text = Detector.URL_RE.sub(" ", text)
        if "@" in text:
            text = Detector.MAIL_RE.sub(" ", text)
        if any(mark in text for mark in NGram.DMARK_CLASS):
            text = NGram.normalize_vi(text)
        text = _SPACES.sub(" ", text[: self.max_text_length])  # append() keeps one space of every run
        # Counted in runs, not one list item per character; ASCII text has no non-Latin character at all.
        if not text.isascii():
            latin = sum(map(len, _LATIN_RUNS.findall(text)))
            if latin * 2 < sum(map(len, _NON_LATIN_RUNS.findall(text))):
                text = _LATIN.sub("", text)
        return text

    # ---- Detector._extract_ngrams

    def rows(self, text: str) -> list[int]:
        """The n-grams langdetect draws from, in its order, as rows of the profile table."""
        return np.frombuffer(self.packed_rows(text), dtype=np.int32).tolist()

    def packed_rows(self, text: str) -> bytes:
        """The drawn n-grams as rows of the profile table, computed once per distinct token (and space after it).

        langdetect normalizes every character on its own and a space stays a space, so the normalized text split
        at spaces is each raw token's normalized pieces in turn: a raw token's rows can be remembered whole, and
        a text costs one lookup per token (the last token has no space after it: no trailing n-grams)."""
        tokens = text.split(" ")
        cache = self._tokens
        if len(cache) > _WORD_CACHE_LIMIT or len(self._words) > _WORD_CACHE_LIMIT:
            cache.clear()
            self._words.clear()
        parts: list[bytes] = []
        last = len(tokens) - 1
        for i, token in enumerate(tokens):
            key = (token, i < last)
            found = cache.get(key)
            if found is None:
                found = cache[key] = np.array(self._token_rows(token, i < last), dtype=np.int32).tobytes()
            parts.append(found)
        return b"".join(parts)  # int32 rows, packed: one join instead of a Python int per n-gram

    def _token_rows(self, token: str, space_after: bool) -> tuple[int, ...]:
        words = token.translate(self._table).split(" ")
        last = len(words) - 1
        out: list[int] = []
        for i, word in enumerate(words):
            if word:
                trailing = space_after or i < last
                key = (word, trailing)
                found = self._words.get(key)
                if found is None:
                    found = self._words[key] = tuple(self._row[g] for g in self._word_ngrams(word, trailing))
                out.extend(found)
        return tuple(out)

    def _word_ngrams(self, word: str, trailing_space: bool) -> tuple[str, ...]:
        """NGram.add_char over ' ' + word (+ ' '), emitting what _extract_ngrams keeps."""
        known = self._row
        out: list[str] = []
        grams = " "
        capital = False
        for ch in word + " " if trailing_space else word:
            last = grams[-1]
            if last == " ":
                grams = " "
                capital = False
            elif len(grams) >= NGram.N_GRAM:
                grams = grams[1:]
            grams += ch
            if ch.isupper():
                if last.isupper():
                    capital = True
            else:
                capital = False
            if capital:
                continue
            for n in (1, 2, 3):
                if len(grams) < n:
                    break
                w = grams[-n:]
                if w != " " and w in known:
                    out.append(w)
        return tuple(out)

    # ---- Detector._detect_block + _sort_probability

    def probabilities(self, text: str) -> list[Language]:
        packed = self.packed_rows(self.prepare(text))
        if not packed:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        langprob = None
        if self._kernel is not None and (len(packed) // 4).bit_length() <= 32:
            langprob = self._kernel.run(np.frombuffer(packed, dtype=np.int32), self.n_trial, self.alpha)
        if langprob is None:
            langprob = self._trials(np.frombuffer(packed, dtype=np.int32).tolist())
        result = [Language(lang, p) for lang, p in zip(self.langlist, langprob, strict=True)
                  if p > Detector.PROB_THRESHOLD]
        result.sort(reverse=True)  # Detector._sort_probability
        return result

    def _trials(self, rows: list[int]) -> list[float]:
        """The trials in Python: the reference the compiled kernel is tested against, and its fallback."""
        table = self._lists
        count = len(self.langlist)
        langprob = [0.0] * count
        rng = random.Random()
        rng.seed(self.seed)
        # random.choice(ngrams), inlined: Random._randbelow_with_getrandbits draws k bits until one is below n.
        getrandbits = rng.getrandbits
        n = len(rows)
        k = n.bit_length()
        limit = Detector.ITERATION_LIMIT
        threshold = Detector.CONV_THRESHOLD
        for _ in range(self.n_trial):
            prob = [1.0 / count] * count
            alpha = self.alpha + rng.gauss(0.0, 1.0) * Detector.ALPHA_WIDTH
            weight = alpha / Detector.BASE_FREQ
            # Iteration 0, then a convergence check after every fifth update (i = 0, 5, 10, ...); each update is
            # langdetect's `prob[i] *= weight + q[i]`, five of them chained left to right in one pass.
            w = weight
            r = getrandbits(k)
            while r >= n:
                r = getrandbits(k)
            prob = [p * (w + q) for p, q in zip(prob, table[rows[r]], strict=True)]
            i = 0
            while True:
                total = sum(prob)
                prob = [p / total for p in prob]
                if max(prob) > threshold or i >= limit:
                    break
                picked = []
                for _ in range(5):
                    r = getrandbits(k)
                    while r >= n:
                        r = getrandbits(k)
                    picked.append(table[rows[r]])
                r1, r2, r3, r4, r5 = picked
                prob = [p * (w + a) * (w + b) * (w + c) * (w + d) * (w + e)
                        for p, a, b, c, d, e in zip(prob, r1, r2, r3, r4, r5, strict=True)]
                i += 5
            for j in range(count):
                langprob[j] += prob[j] / self.n_trial
        return langprob


def load_profiles(directory: str) -> tuple[list[str], dict[str, int], np.ndarray]:
    """langdetect's `DetectorFactory.load_profile` + `add_profile`, into one matrix: the same languages in the same
    (listing) order, the same n-grams in the same order, each probability the same Python division. The factory
    keeps one list of 55 Python floats per n-gram instead: ~60 MiB in every worker, and freeing it once the matrix
    is built gives back less than half (the pages stay fragmented). Tested equal to the factory's own."""
    names = os.listdir(directory)
    size = len(names)  # langdetect sizes the lists by the whole listing
    langlist: list[str] = []
    row: dict[str, int] = {}
    columns: list[tuple[np.ndarray, np.ndarray]] = []
    for name in names:
        path = os.path.join(directory, name)
        if name.startswith(".") or not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as fh:
            profile = LangProfile(**json.load(fh))
        if profile.name in langlist:
            raise LangDetectException(ErrorCode.DuplicateLangError, "Duplicate the same language profile.")
        langlist.append(profile.name)
        rows: list[int] = []
        probs: list[float] = []
        for word, count in profile.freq.items():
            at = row.setdefault(word, len(row))
            if 1 <= len(word) <= 3:
                rows.append(at)
                probs.append(1.0 * count / profile.n_words[len(word) - 1])
        columns.append((np.array(rows, dtype=np.intp), np.array(probs, dtype=np.float64)))
    matrix = np.zeros((len(row), size), dtype=np.float64)
    for index, (rows_of, probs_of) in enumerate(columns):
        matrix[rows_of, index] = probs_of
    return langlist, row, matrix


# ---- the trials in C, on the same random stream
#
# Every call seeds a new random.Random with the same seed, so every text draws from one fixed stream of 32-bit
# words: getrandbits(k) for k <= 32 is the next word's top k bits, random() takes two words, and gauss() takes two
# random() calls every other time (the second value is kept for the next call). The stream and the gauss pair
# that starts at each position are computed once here with Python's own generator and math functions; the C
# kernel (tasks/_kernels.c) walks them and does langdetect's float operations in langdetect's order, so its
# probabilities are the Python trials' bit for bit (tests/tasks/test_fastdetect.py). A text that would need more
# of the stream than is computed, an unseeded factory, or an install without the C kernels takes the Python trials.

STREAM_WORDS = 1 << 16  # 3 trials need at most ~6,000 words (1,000 iterations, rejection sampling), 7 ~14,000
_TWOPI = 2.0 * math.pi


def _stream(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = random.Random()
    rng.seed(seed)
    words = [rng.getrandbits(32) for _ in range(STREAM_WORDS)]
    gauss = np.zeros(STREAM_WORDS, dtype=np.float64)
    kept = np.zeros(STREAM_WORDS, dtype=np.float64)
    for pos in range(STREAM_WORDS - 3):
        # random.Random.random() from two words (genrand_res53), twice, then random.Random.gauss.
        a, b = words[pos] >> 5, words[pos + 1] >> 6
        first = (a * 67108864.0 + b) * (1.0 / 9007199254740992.0)
        a, b = words[pos + 2] >> 5, words[pos + 3] >> 6
        second = (a * 67108864.0 + b) * (1.0 / 9007199254740992.0)
        x2pi = first * _TWOPI
        g2rad = math.sqrt(-2.0 * math.log(1.0 - second))
        gauss[pos] = 0.0 + math.cos(x2pi) * g2rad * 1.0
        kept[pos] = math.sin(x2pi) * g2rad
    return np.array(words, dtype=np.uint32), gauss, kept


class _Kernel:
    def __init__(self, seed: int, matrix: np.ndarray) -> None:
        from tasks.kernels import Trials

        self.words, self.gauss, self.kept = _stream(seed)
        # Python's sum() of floats is a plain left-to-right sum up to 3.11 and Neumaier's compensated sum since.
        self.trials = Trials(matrix, self.words, self.gauss, self.kept, compensated=sys.version_info >= (3, 12))

    def run(self, rows: np.ndarray, n_trial: int, alpha: float) -> list[float] | None:
        return self.trials.run(rows, n_trial, alpha, Detector.ALPHA_WIDTH, float(Detector.BASE_FREQ),
                               Detector.CONV_THRESHOLD, Detector.ITERATION_LIMIT)  # fmt: skip


def _kernel_for(seed: int | None, matrix: np.ndarray) -> _Kernel | None:
    from tasks.kernels import available

    if seed is None or not available():
        return None
    return _Kernel(seed, matrix)
