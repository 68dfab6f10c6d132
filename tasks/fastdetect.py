"""langdetect's detector, the same algorithm on the same profiles, with its inner loops made cheap.

Profiling a worker showed langdetect's pure-Python loops as the largest single cost of a dump (36 %): one method
call per character to build n-grams, and one Python loop over 55 languages per random n-gram drawn. This module
runs the same steps on the profiles langdetect loaded (`DetectorFactory.word_lang_prob_map`):

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

import random
import re

from langdetect.detector import Detector
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.language import Language
from langdetect.utils.ngram import NGram

_SPACES = re.compile(" {2,}")
_LATIN = re.compile("[A-z]")  # langdetect's own test: 'A' <= ch <= 'z', which includes [\]^_`
_NON_LATIN = re.compile("[\u0300-\U0010ffff]")
_WORD_CACHE_LIMIT = 200_000


class _Normalized(dict):
    """str.translate table: code point -> langdetect's normalized character, filled on first sight."""

    def __missing__(self, code: int) -> str:
        value = NGram.normalize(chr(code))
        self[code] = value
        return value


class FastDetector:
    """One per process, built from langdetect's loaded factory (`detector_factory._factory`)."""

    def __init__(self, factory, n_trial: int = 7, max_text_length: int = 10_000) -> None:  # type: ignore[no-untyped-def]
        self.word_lang_prob_map: dict[str, list[float]] = factory.word_lang_prob_map
        self.langlist: list[str] = list(factory.langlist)
        self.seed = factory.seed
        self.n_trial = n_trial
        self.max_text_length = max_text_length
        self.alpha = Detector.ALPHA_DEFAULT
        self._table = _Normalized()
        self._words: dict[tuple[str, bool], tuple[str, ...]] = {}

    # ---- Detector.append + cleaning_text

    def prepare(self, text: str) -> str:
        text = Detector.URL_RE.sub(" ", text)
        text = Detector.MAIL_RE.sub(" ", text)
        text = NGram.normalize_vi(text)
        text = _SPACES.sub(" ", text[: self.max_text_length])  # append() keeps one space of every run
        latin = len(_LATIN.findall(text))
        if latin * 2 < len(_NON_LATIN.findall(text)):
            text = _LATIN.sub("", text)
        return text

    # ---- Detector._extract_ngrams

    def ngrams(self, text: str) -> list[str]:
        normalized = text.translate(self._table)
        words = normalized.split(" ")
        result: list[str] = []
        cache = self._words
        if len(cache) > _WORD_CACHE_LIMIT:
            cache.clear()
        last = len(words) - 1
        for i, word in enumerate(words):
            if not word:
                continue
            key = (word, i < last)  # the last word has no space after it: no trailing n-grams
            grams = cache.get(key)
            if grams is None:
                grams = cache[key] = self._word_ngrams(word, i < last)
            result.extend(grams)
        return result

    def _word_ngrams(self, word: str, trailing_space: bool) -> tuple[str, ...]:
        """NGram.add_char over ' ' + word (+ ' '), emitting what _extract_ngrams keeps."""
        known = self.word_lang_prob_map
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
        ngrams = self.ngrams(self.prepare(text))
        if not ngrams:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        known = self.word_lang_prob_map
        count = len(self.langlist)
        langprob = [0.0] * count
        rng = random.Random()
        rng.seed(self.seed)
        # random.choice(ngrams), inlined: Random._randbelow_with_getrandbits draws k bits until one is below n.
        getrandbits = rng.getrandbits
        n = len(ngrams)
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
            prob = [p * (w + q) for p, q in zip(prob, known[ngrams[r]], strict=True)]
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
                    picked.append(known[ngrams[r]])
                r1, r2, r3, r4, r5 = picked
                prob = [p * (w + a) * (w + b) * (w + c) * (w + d) * (w + e)
                        for p, a, b, c, d, e in zip(prob, r1, r2, r3, r4, r5, strict=True)]
                i += 5
            for j in range(count):
                langprob[j] += prob[j] / self.n_trial
        result = [Language(lang, p) for lang, p in zip(self.langlist, langprob, strict=True)
                  if p > Detector.PROB_THRESHOLD]
        result.sort(reverse=True)  # Detector._sort_probability
        return result
