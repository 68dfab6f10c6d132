"""Date parsing: newsprep's reader (tasks/dates.py) against dateparser, on candidate date strings.

    python benchmarks/dates.py

The cases are date strings as they stand on publication and header lines, in nine languages, each with the
date it means (None: no publication date may come out of it, e.g. relative dates and placeholders). Both
parsers see the same strings with the same language; dateparser is restricted to that language, with
relative dates and dates without a year turned off as far as its settings allow.
Prints accuracy, invented dates and microseconds per string for each.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tasks.dates import parse_date  # noqa: E402

D = dt.date
CASES: list[tuple[str, str, dt.date | None]] = [
    ("en", "Thursday, July 11, 2024", D(2024, 7, 11)),
    ("en", "July 11, 2024, p. 24", D(2024, 7, 11)),
    ("en", "11 July 2024", D(2024, 7, 11)),
    ("en", "2024-07-11T10:30:00Z", D(2024, 7, 11)),
    ("en", "Jul 11, 2024 10:30 AM EDT", D(2024, 7, 11)),
    ("en", "yesterday", None),
    ("en", "on Wednesday", None),
    ("en", "[Current Date]", None),
    ("en", "3 hours ago", None),
    ("es", "Jueves 11 de julio de 2024", D(2024, 7, 11)),
    ("es", "11/07/2024", D(2024, 7, 11)),
    ("es", "ayer", None),
    ("es", "[Fecha actual]", None),
    ("fr", "Mardi 3 septembre 2024", D(2024, 9, 3)),
    ("fr", "3 sept. 2024 à 10h30", D(2024, 9, 3)),
    ("fr", "hier", None),
    ("de", "Montag, 4. März 2024", D(2024, 3, 4)),
    ("de", "04.03.2024, 10:15 Uhr", D(2024, 3, 4)),
    ("de", "gestern", None),
    ("de", "[DATUM]", None),
    ("pt", "5 de março de 2024", D(2024, 3, 5)),
    ("pt", "05/03/2024 14h20", D(2024, 3, 5)),
    ("pt", "ontem", None),
    ("it", "11 luglio 2024", D(2024, 7, 11)),
    ("it", "giovedì 11 luglio 2024", D(2024, 7, 11)),
    ("it", "ieri", None),
    ("ru", "11 июля 2024 г.", D(2024, 7, 11)),
    ("ru", "Четверг, 11 июля 2024", D(2024, 7, 11)),
    ("ru", "11.07.2024 10:30", D(2024, 7, 11)),
    ("ru", "вчера", None),
    ("ar", "11 يوليو 2024", D(2024, 7, 11)),
    ("ar", "١١ يوليو ٢٠٢٤", D(2024, 7, 11)),
    ("ar", "13 تموز 2024", D(2024, 7, 13)),
    ("ar", "أمس", None),
    ("zh", "2024年7月11日", D(2024, 7, 11)),
    ("zh", "2024年7月11日 10:30", D(2024, 7, 11)),
    ("zh", "2024-07-11 10:30:00", D(2024, 7, 11)),
    ("zh", "昨天", None),
]


def ours(text: str, language: str) -> dt.date | None:
    parsed = parse_date(text, language)
    return parsed.value if parsed else None


def theirs(text: str, language: str) -> dt.date | None:
    import dateparser

    settings = {"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past", "STRICT_PARSING": True}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = dateparser.parse(text, languages=[language], settings=settings)
    return value.date() if value else None


def measure(name: str, fn) -> None:
    right = invented = found = present = 0
    fn(CASES[0][1], CASES[0][0])  # warm-up: dateparser loads its language data on first use
    t0 = time.perf_counter()
    rounds = 5
    for _ in range(rounds):
        results = [(fn(text, lang), want) for lang, text, want in CASES]
    per = (time.perf_counter() - t0) / (rounds * len(CASES)) * 1e6
    for got, want in results:
        right += got == want
        if want is None:
            invented += got is not None
        else:
            present += 1
            found += got == want
    absent = len(CASES) - present
    print(
        f"{name:12} right {right}/{len(CASES)}  found {found}/{present}  invented {invented}/{absent}  "
        f"{per:8.1f} µs/string"
    )
    for (lang, text, want), (got, _) in zip(CASES, results, strict=True):
        if got != want:
            print(f"    {lang} {text!r}: got {got}, want {want}")


if __name__ == "__main__":
    measure("newsprep", ours)
    measure("dateparser", theirs)
