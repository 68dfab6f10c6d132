"""Language identification of tasks.language.detect on labelled text, by length, language and source.

    .venv/bin/python benchmarks/language.py               # 150 documents per language, the tables, PASS/FAIL
    .venv/bin/python benchmarks/language.py --limit 20    # at most 20 documents per language
    .venv/bin/python benchmarks/language.py --limit 0     # every labelled document (about 15 minutes on 2 cores)
    .venv/bin/python benchmarks/language.py --check       # exit 1 when a target of the issue is missed

Data (under /work/shared/corpora, or $NEWSPREP_SHARED/corpora; nothing is copied into the repository):
  lang/doc_labels.tsv   every labelled document file of corpora (10kGNAD de, FakeNewsCorpusSpanish es,
                        Multilingual-News-Dataset en/ar/ckb, SogouCA zh, bbc, FakeNewsNet and oilprice en,
                        Fake.br pt, Moroccan news ar, kod.ru ru). The html_derived rows are left out: their
                        labels are only the page's <html lang> (the corpus README says they are not gold).
  lingua-py sentences   75 languages x 1000 sentences, one document per line, labelled by the file name.
                        The word-pairs and single-words files are not documents and are not used.
  whatlang-rs           one sentence for each of 69 languages (ISO 639-3 keys, mapped to ISO 639-1 here).

For every selected document and every length in LENGTHS, the text (whitespace collapsed) is cut at the word
boundary nearest that length (within 20 %; texts without spaces, e.g. Chinese, are cut at the length). A document
shorter than the length is continued with the next documents of the same source and label; a length the whole
pool cannot reach is skipped. 'und' counts as wrong.

Scored: the labels langdetect has a profile for (langdetect/profiles; zh-cn and zh-tw are zh). The other labels
(Sorani, Nynorsk, Basque, ...) are listed with what they come out as. Lingua's 'nb' is taken as langdetect's 'no'
(its Norwegian profile is Bokmål), and the Sorani label 'ckb' as 'ku' (Kurdish; Sorani has no ISO 639-1 code). Targets of the issue, on the scored labels: accuracy >= 0.99 from 300
characters up (300, 1000 and 5000 pooled), >= 0.95 at 50 characters, and no language below 0.97 from 300 up.
`--check` holds the production detector (detect's default) to them. If detect takes a `detector` argument, the
py3langid detector is measured too, on the same texts.

Selection is deterministic: each (label, source) pool is shuffled with a fixed seed and the sources of a label
are taken in turn, so `--limit N` takes a prefix of what `--limit M > N` takes. docs/s is the rate of one
process (time spent inside detect only), whatever --jobs is.
"""

from __future__ import annotations

import argparse
import csv
import inspect
import json
import multiprocessing
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script: the repository's packages are not installed under these names

from tasks.language import detect  # noqa: E402

SHARED = Path(os.environ.get("NEWSPREP_SHARED", "/work/shared"))
CORPORA = SHARED / "corpora"
LANG_DIR = CORPORA / "lang"

LENGTHS = (20, 50, 100, 300, 1000, 5000)
LONG = (300, 1000, 5000)  # "from 300 characters up"
SHORT = 50
DEFAULT_LIMIT = 150
SEED = 20261123
CUT_SLACK = 0.2  # look for a word boundary within 20 % of the length

TARGET_LONG = 0.99  # accuracy from 300 characters up
TARGET_SHORT = 0.95  # accuracy at 50 characters
TARGET_PER_LANGUAGE = 0.97  # every language from 300 characters up

DEFAULT_DETECTOR = "langdetect"
OTHER_DETECTORS = ("py3langid",)

# Label codes that are not what detect answers for the same language.
CANON = {
    "nb": "no",  # langdetect's one Norwegian profile is Bokmål and answers 'no'
    "ckb": "ku",  # Sorani has no ISO 639-1 code of its own: Kurdish, 'ku', is what detect answers for it
}
# whatlang-rs examples.json keys (ISO 639-3) -> ISO 639-1. Sorani and the like keep their 639-3 code.
ISO3 = {
    "afr": "af", "aka": "ak", "amh": "am", "ara": "ar", "aze": "az", "bel": "be", "ben": "bn", "bul": "bg",
    "cat": "ca", "ces": "cs", "cmn": "zh", "dan": "da", "deu": "de", "ell": "el", "eng": "en", "epo": "eo",
    "est": "et", "fin": "fi", "fra": "fr", "guj": "gu", "heb": "he", "hin": "hi", "hrv": "hr", "hun": "hu",
    "hye": "hy", "ind": "id", "ita": "it", "jav": "jv", "jpn": "ja", "kan": "kn", "kat": "ka", "khm": "km",
    "kor": "ko", "lat": "la", "lav": "lv", "lit": "lt", "mal": "ml", "mar": "mr", "mkd": "mk", "mya": "my",
    "nep": "ne", "nld": "nl", "nob": "nb", "ori": "or", "pan": "pa", "pes": "fa", "pol": "pl", "por": "pt",
    "ron": "ro", "rus": "ru", "sin": "si", "slk": "sk", "slv": "sl", "sna": "sn", "spa": "es", "srp": "sr",
    "swe": "sv", "tam": "ta", "tel": "te", "tgl": "tl", "tha": "th", "tuk": "tk", "tur": "tr", "ukr": "uk",
    "urd": "ur", "uzb": "uz", "vie": "vi", "yid": "yi", "zul": "zu",
}  # fmt: skip

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Doc:
    source: str
    label: str
    text: str  # whitespace collapsed


@dataclass(frozen=True)
class Sample:
    label: str
    source: str
    length: int
    detector: str
    pred: str
    seconds: float

    @property
    def right(self) -> bool:
        return self.pred == self.label


@dataclass
class Corpus:
    docs: list[Doc]
    excluded: Counter[str] = field(default_factory=Counter)


# ---------------------------------------------------------------------------------------------------- data


def canon(code: str) -> str:
    code = code.strip().lower()
    code = ISO3.get(code, code)
    return CANON.get(code, code)


def collapse(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def langdetect_languages() -> frozenset[str]:
    import langdetect

    profiles = Path(langdetect.__file__).resolve().parent / "profiles"
    return frozenset(canon(p.name.split("-")[0]) for p in profiles.iterdir() if not p.name.startswith("."))


def _source_of(rel: str) -> str:
    parts = rel.split("/")
    return parts[0] if parts[0] == "bbc" else parts[1]


def load_corpus(corpora: Path = CORPORA) -> Corpus:
    lang = corpora / "lang"
    corpus = Corpus(docs=[])
    with open(lang / "doc_labels.tsv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["label_source"].startswith("weak"):
                corpus.excluded[f"{_source_of(row['path'])} (weak labels)"] += 1
                continue
            text = collapse((corpora / row["path"]).read_text("utf-8", errors="replace"))
            if text:
                corpus.docs.append(Doc(_source_of(row["path"]), canon(row["lang"]), text))
    for path in sorted((lang / "lingua-py" / "language-testdata" / "sentences").glob("*.txt")):
        label = canon(path.stem)
        for line in path.read_text("utf-8").splitlines():
            if line := collapse(line):
                corpus.docs.append(Doc("lingua-py", label, line))
    examples = json.loads((lang / "whatlang-rs" / "examples.json").read_text("utf-8"))
    for key in sorted(examples):
        corpus.docs.append(Doc("whatlang-rs", canon(key), collapse(examples[key])))
    return corpus


def select(docs: Sequence[Doc], limit: int | None, seed: int = SEED) -> list[tuple[Doc, list[Doc], int]]:
    """Up to `limit` documents per label, the label's sources in turn: (doc, its pool in file order, index)."""
    pools: dict[str, dict[str, list[Doc]]] = defaultdict(lambda: defaultdict(list))
    for doc in docs:
        pools[doc.label][doc.source].append(doc)
    chosen = []
    for label in sorted(pools):
        queues = []
        for source in sorted(pools[label]):
            pool = pools[label][source]
            order = list(range(len(pool)))
            random.Random(f"{seed}:{label}:{source}").shuffle(order)
            queues.append((pool, order))
        taken = 0
        for rank in range(max(len(order) for _, order in queues)):
            for pool, order in queues:
                if rank < len(order) and (limit is None or taken < limit):
                    chosen.append((pool[order[rank]], pool, order[rank]))
                    taken += 1
    return chosen


def cut(text: str, length: int) -> str:
    """The first ~length characters, ending at the word boundary nearest the length (within CUT_SLACK)."""
    if len(text) <= length:
        return text
    lo, hi = max(1, int(length * (1 - CUT_SLACK))), min(len(text), int(length * (1 + CUT_SLACK)))
    spaces = [i for i in range(lo, hi + 1) if i == len(text) or text[i] == " "]
    if not spaces:
        return text[:length]
    best = min(spaces, key=lambda i: (abs(i - length), i))
    return text[:best].rstrip()


def sample_text(pool: Sequence[Doc], index: int, length: int) -> str | None:
    """The document cut to `length`, continued with the pool's next documents when it is shorter; None if the
    whole pool is shorter."""
    parts, size, j = [pool[index].text], len(pool[index].text), index
    want = int(length * (1 + CUT_SLACK)) + 1
    while size < want:
        j = (j + 1) % len(pool)
        if j == index:
            break
        parts.append(pool[j].text)
        size += 1 + len(pool[j].text)
    if size < length:
        return None
    return cut(" ".join(parts), length)


# ---------------------------------------------------------------------------------------------------- running


def detectors_available() -> list[str]:
    """The production detector (detect's default) first, then py3langid if detect can be asked for it."""
    params = inspect.signature(detect).parameters
    if "detector" not in params:
        return [DEFAULT_DETECTOR]
    default = params["detector"].default
    names = [default if isinstance(default, str) else DEFAULT_DETECTOR]
    names += [n for n in (DEFAULT_DETECTOR, *OTHER_DETECTORS) if n not in names]
    return names


def _call(text: str, detector: str, explicit: bool) -> str:
    return (detect(text, detector=detector) if explicit else detect(text)).language  # type: ignore[call-arg]


_EXPLICIT = False


def _work(chunk: list[tuple[int, str, str]]) -> list[tuple[int, str, str, float]]:
    out = []
    for key, detector, text in chunk:
        t0 = time.perf_counter()
        pred = _call(text, detector, _EXPLICIT)
        out.append((key, detector, pred, time.perf_counter() - t0))
    return out


def _chunks(items: Sequence[tuple[int, str, str]], size: int) -> Iterator[list[tuple[int, str, str]]]:
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


@dataclass
class Report:
    detectors: list[str]
    samples: list[Sample]
    known: frozenset[str]
    docs: int
    skipped: Counter[int]
    excluded: Counter[str]
    seconds: float

    def of(self, detector: str, known: bool | None = True) -> list[Sample]:
        return [
            s for s in self.samples if s.detector == detector and (known is None or (s.label in self.known) == known)
        ]


def run(
    limit: int | None = DEFAULT_LIMIT,
    jobs: int = 2,
    detectors: Sequence[str] | None = None,
    lengths: Sequence[int] = LENGTHS,
    corpora: Path = CORPORA,
) -> Report:
    global _EXPLICIT
    t0 = time.perf_counter()
    corpus = load_corpus(corpora)
    chosen = select(corpus.docs, limit)
    available = detectors_available()
    names = list(detectors) if detectors else available
    _EXPLICIT = available != [DEFAULT_DETECTOR]
    for name in names:
        if name not in available:
            raise SystemExit(f"detector {name!r} not available; detect offers {available}")
        _call("Warm-up text so every detector loads its model before the workers fork.", name, _EXPLICIT)
    keys: list[tuple[str, str, int]] = []
    tasks: list[tuple[int, str, str]] = []
    skipped: Counter[int] = Counter()
    for doc, pool, index in chosen:
        for length in lengths:
            text = sample_text(pool, index, length)
            if text is None:
                skipped[length] += 1
                continue
            keys.append((doc.label, doc.source, length))
            tasks.extend((len(keys) - 1, name, text) for name in names)
    if jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
        with multiprocessing.get_context("fork").Pool(jobs) as pool_:
            parts = pool_.imap_unordered(_work, _chunks(tasks, 500))
            results = [r for part in parts for r in part]
    else:
        results = _work(tasks)
    samples = [Sample(*keys[key], detector, pred, secs) for key, detector, pred, secs in results]
    samples.sort(key=lambda s: (s.detector, s.label, s.source, s.length, s.pred))
    return Report(
        names, samples, langdetect_languages(), len(chosen), skipped, corpus.excluded, time.perf_counter() - t0
    )


# ---------------------------------------------------------------------------------------------------- figures


def accuracy(samples: Iterable[Sample]) -> tuple[float, int]:
    n = right = 0
    for s in samples:
        n += 1
        right += s.right
    return (right / n if n else float("nan")), n


def long_samples(samples: Iterable[Sample]) -> list[Sample]:
    return [s for s in samples if s.length in LONG]


def at(samples: Iterable[Sample], length: int) -> list[Sample]:
    return [s for s in samples if s.length == length]


def by_label(samples: Iterable[Sample]) -> dict[str, list[Sample]]:
    groups: dict[str, list[Sample]] = defaultdict(list)
    for s in samples:
        groups[s.label].append(s)
    return groups


@dataclass(frozen=True)
class Targets:
    long_acc: float
    long_n: int
    short_acc: float
    short_n: int
    below: list[tuple[str, float, int]]  # languages under TARGET_PER_LANGUAGE from 300 up, worst first

    @property
    def results(self) -> list[tuple[bool, str]]:
        worst = ", ".join(f"{lang} {acc:.3f} (n={n})" for lang, acc, n in self.below) or "none"
        return [
            (self.long_acc >= TARGET_LONG, f"accuracy from 300 chars up {self.long_acc:.4f} (n={self.long_n}), target >= {TARGET_LONG}"),
            (self.short_acc >= TARGET_SHORT, f"accuracy at 50 chars {self.short_acc:.4f} (n={self.short_n}), target >= {TARGET_SHORT}"),
            (not self.below, f"every language >= {TARGET_PER_LANGUAGE} from 300 chars up; below: {worst}"),
        ]  # fmt: skip

    @property
    def passed(self) -> bool:
        return all(ok for ok, _ in self.results)


def targets(report: Report, detector: str) -> Targets:
    known = report.of(detector)
    long_acc, long_n = accuracy(long_samples(known))
    short_acc, short_n = accuracy(at(known, SHORT))
    per = ((lang, *accuracy(long_samples(group))) for lang, group in by_label(known).items())
    below = sorted((x for x in per if x[2] and x[1] < TARGET_PER_LANGUAGE), key=lambda x: (x[1], x[0]))
    return Targets(long_acc, long_n, short_acc, short_n, below)


def _top(samples: Sequence[Sample], k: int = 2, wrong_only: bool = True) -> str:
    preds = Counter(s.pred for s in samples if not (wrong_only and s.right))
    return ", ".join(f"{p} {c / len(samples):.0%}" for p, c in preds.most_common(k)) if samples else ""


def _fmt(acc: float, n: int) -> str:
    return f"{acc:6.3f}" if n else "     -"


def print_report(report: Report, detector: str, confusions: int = 20) -> None:
    known, unknown = report.of(detector), report.of(detector, known=False)
    print(f"\n=== detector: {detector}   (scored: {len(by_label(known))} labels langdetect knows) ===")

    print("\nAccuracy by length (scored labels; 'und' counts as wrong)")
    print(f"{'chars':>6} {'n':>7} {'acc':>7} {'und':>6} {'acc w/o und':>12} {'docs/s':>9}")
    for length in sorted({s.length for s in known}):
        group = at(known, length)
        acc, n = accuracy(group)
        und = sum(s.pred == "und" for s in group)
        answered = accuracy(s for s in group if s.pred != "und")
        secs = sum(s.seconds for s in group)
        rate = f"{n / secs:9.0f}" if secs else "        -"
        print(f"{length:>6} {n:>7} {acc:7.4f} {und / n:6.1%} {answered[0]:12.4f} {rate}")
    acc, n = accuracy(long_samples(known))
    print(f"{'>=300':>6} {n:>7} {acc:7.4f}")

    print(
        f"\nAccuracy by language, from 300 chars up and at {SHORT} chars (worst first; '<' below {TARGET_PER_LANGUAGE})"
    )
    print(f"{'lang':<5} {'n>=300':>6} {'acc>=300':>8} {'n@50':>5} {'acc@50':>7}  {'wrong >=300':<18} {'wrong @50':<24}")
    rows = []
    for lang, group in by_label(known).items():
        lg, sh = long_samples(group), at(group, SHORT)
        (la, ln), (sa, sn) = accuracy(lg), accuracy(sh)
        rows.append(((la if ln else 2.0, sa if sn else 2.0, lang), lang, la, ln, sa, sn, _top(lg), _top(sh, 3)))
    for _, lang, la, ln, sa, sn, wl, ws in sorted(rows):
        flag = "<" if ln and la < TARGET_PER_LANGUAGE else " "
        print(f"{lang:<5} {ln:>6} {_fmt(la, ln):>8}{flag}{sn:>5} {_fmt(sa, sn):>7}  {wl:<18} {ws:<24}")

    print("\nAccuracy by source (scored labels)")
    print(f"{'source':<40} {'labels':>6} {'n>=300':>7} {'acc>=300':>8} {'n@50':>6} {'acc@50':>7}")
    sources: dict[str, list[Sample]] = defaultdict(list)
    for s in known:
        sources[s.source].append(s)
    for source in sorted(sources):
        group = sources[source]
        (la, ln), (sa, sn) = accuracy(long_samples(group)), accuracy(at(group, SHORT))
        labels = len({s.label for s in group})
        print(f"{source:<40} {labels:>6} {ln:>7} {_fmt(la, ln):>8} {sn:>6} {_fmt(sa, sn):>7}")

    wrong = [s for s in known if not s.right and s.length != 20]
    print(f"\nWorst confusions, true -> predicted (scored labels, lengths 50 to 5000; {len(wrong)} errors)")
    print(f"{'true -> pred':<14} {'all':>5} {'@50':>5} {'@100':>5} {'>=300':>6}")
    pairs: dict[tuple[str, str], Counter[int]] = defaultdict(Counter)
    for s in wrong:
        pairs[(s.label, s.pred)][s.length] += 1
    ranked = sorted(pairs.items(), key=lambda kv: (-kv[1].total(), kv[0]))
    for (true, pred), c in ranked[:confusions]:
        print(f"{true + ' -> ' + pred:<14} {c.total():>5} {c[50]:>5} {c[100]:>5} {sum(c[x] for x in LONG):>6}")

    groups = by_label(s for s in unknown if s.length != 20)
    print("\nLabels langdetect does not know (not scored; lengths 50 to 5000): what they come out as")
    for lang in sorted(groups, key=lambda x: (x != "ku", x)):
        group = groups[lang]
        name = "ku (Sorani, label ckb)" if lang == "ku" else lang
        print(f"  {name:<22} n={len(group):<5} right {accuracy(group)[0]:4.0%} -> {_top(group, 4, wrong_only=False)}")

    print(f"\nTargets ({detector})")
    for ok, text in targets(report, detector).results:
        print(f"  {'PASS' if ok else 'FAIL'}  {text}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--limit", type=int, default=DEFAULT_LIMIT, help=f"documents per language (default {DEFAULT_LIMIT}; 0: all)"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when the production detector misses a target")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="worker processes (default 2)")
    parser.add_argument("--detector", action="append", help="measure only this detector (repeatable)")
    parser.add_argument("--confusions", type=int, default=20, help="how many confusion pairs to print")
    args = parser.parse_args(argv)
    if not (LANG_DIR / "doc_labels.tsv").is_file():
        print(f"benchmark data not found under {LANG_DIR}", file=sys.stderr)
        return 2
    report = run(limit=args.limit or None, jobs=args.jobs, detectors=args.detector)
    available = detectors_available()
    print(
        f"{report.docs} documents ({args.limit or 'all'} per language), {len(report.samples)} detections, "
        f"lengths {', '.join(map(str, LENGTHS))}; detectors measured: {', '.join(report.detectors)}"
    )
    if available == [DEFAULT_DETECTOR]:
        print("detect() takes no `detector` argument: langdetect (with the script rules for zh/ja/ko) only")
    print(f"lengths skipped (the whole same-label pool is shorter): {dict(sorted(report.skipped.items())) or 'none'}")
    print(f"left out: {dict(report.excluded)}")
    for name in report.detectors:
        print_report(report, name, args.confusions)
    print(f"\nwall time {report.seconds:.1f} s (loading, cutting, detecting with {args.jobs} process(es))")
    if args.check:
        production = report.detectors[0]
        ok = targets(report, production).passed
        print(f"check ({production}): {'all targets met' if ok else 'FAILED'}")
        return 0 if ok else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
