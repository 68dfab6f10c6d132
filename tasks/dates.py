"""Read publication dates written the way newspapers write them, keeping their precision.

Only lines that carry a date as metadata (headers, publication lines, date lines) are ever passed here;
a date a body paragraph merely mentions is never a publication date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

MONTHS: dict[str, int] = {}
_MONTH_NAMES = {
    "en": "january february march april may june july august september october november december",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "de": "januar februar märz april mai juni juli august september oktober november dezember",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    # Russian dates use the genitive ('11 июля 2024'); the nominative is for 'июль 2024'.
    "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "ru_nom": "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
    "ar": "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر",
    "ar_levant": "كانون_الثاني شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين_الأول تشرين_الثاني كانون_الأول",
}
for _names in _MONTH_NAMES.values():
    for _i, _name in enumerate(_names.split(), start=1):
        _name = _name.replace("_", " ")
        MONTHS[_name] = _i
        if len(_name) > 3 and _name[:1].isascii():  # Latin-script names have 3-letter forms
            MONTHS.setdefault(_name[:3], _i)  # jan, feb, mär, sep ...
MONTHS.update({"sept": 9, "setiembre": 9, "jänner": 1, "marz": 3, "fevrier": 2, "aout": 8, "decembre": 12,
               "févr": 2, "déc": 12, "ابريل": 4, "إبريل": 4, "اغسطس": 8, "أغسطس": 8, "يوليه": 7, "يونيه": 6})

_WEEKDAYS = (
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun "
    "lunes martes miércoles miercoles jueves viernes sábado sabado domingo "
    "segunda-feira terça-feira quarta-feira quinta-feira sexta-feira "
    "lundi mardi mercredi jeudi vendredi samedi dimanche "
    "montag dienstag mittwoch donnerstag freitag samstag sonntag "
    "lunedì martedì mercoledì giovedì venerdì sabato domenica "
    "понедельник вторник среда четверг пятница суббота воскресенье пн вт ср чт пт сб вс "
    "الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد "
    "星期一 星期二 星期三 星期四 星期五 星期六 星期日 周一 周二 周三 周四 周五 周六 周日"
).split()
# Arabic-Indic and Persian digits read as ASCII digits.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_OTHER_DIGIT = re.compile("[٠-٩۰-۹]")
_A_YEAR = re.compile(r"(?:19|20)\d\d")  # every form in _FORMS below has one


def _ascii_digits(text: str) -> str:
    # Looked for first: str.translate looks every character up in the table, and most text has none of them.
    return text.translate(_DIGITS) if _OTHER_DIGIT.search(text) else text

_MONTH_RE = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_WEEKDAY_RE = "|".join(sorted((re.escape(w) for w in _WEEKDAYS), key=len, reverse=True))
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|º|°)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_MONTH = rf"(?P<month>{_MONTH_RE})\.?"

# Each form: (regex over the whole date expression, precision).
_FORMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), prec)
    for p, prec in (
        (r"(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]?\d)-(?P<day>[0-3]?\d)(?:[T ][\d:.]+(?:Z|[+-][\d:]+)?)?", "day"),
        (rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}", "day"),  # July 11, 2024
        (rf"{_DAY}\.?\s+(?:de\s+)?{_MONTH},?\s+(?:de\s+)?{_YEAR}", "day"),  # 11 de julio de 2024, 4. März 2024
        (r"(?P<day>[0-3]?\d)\.(?P<mnum>[01]?\d)\.(?P<year>(?:19|20)\d\d)", "day"),  # 04.03.2024 (day first)
        (r"(?P<a>[0-3]?\d)[/-](?P<b>[0-3]?\d)[/-](?P<year>(?:19|20)\d\d)", "day"),  # 11/07/2024: see _slashed
        (r"(?P<year>(?:19|20)\d\d)\s*年\s*(?P<mnum>[01]?\d)\s*月\s*(?P<day>[0-3]?\d)\s*日", "day"),
        (r"(?P<year>(?:19|20)\d\d)\s*年\s*(?P<mnum>[01]?\d)\s*月", "month"),
        (rf"{_MONTH},?\s+(?:de\s+)?{_YEAR}", "month"),  # July 2024, julio de 2024
        (r"(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)", "month"),
    )
)

_TIME = r"(?:(?:at|à|um|a las|às|alle|в)\s+)?(?:\d{1,2}[:.h]\d{2}(?:[:.]\d{2})?\s*(?:a\.?m\.?|p\.?m\.?|uhr|h)?(?:\s*\(?[A-Z]{2,5}(?:[+-]\d{1,2})?\)?)?)"
_PAGE = r"(?:(?:p|pp|pg|pág|pag|page|página|pagina|s|seite|стр|с|ص|صفحة|الصفحة)\.?\s*|第\s*)(?P<page>[A-Z]?\d{1,4}[a-z]?)(?:\s*版)?"


@dataclass(frozen=True)
class ParsedDate:
    value: dt.date
    precision: str
    text: str


def parse_date(text: str, language: str | None = None) -> ParsedDate | None:
    """The first date expression in `text` that is a real calendar date, or None.

    `language` settles all-numeric dates: '11/07/2024' is 11 July where the language writes the day first,
    and is left alone in English, where it could be either.
    """
    text = _ascii_digits(text)
    for pattern, precision in _FORMS:
        for m in pattern.finditer(text):
            groups = m.groupdict()
            if groups.get("a"):
                groups = _slashed(groups, language)
            value = _to_date(groups, precision) if groups else None
            if value is not None:
                return ParsedDate(value=value, precision=precision, text=m.group(0))
            if precision == "day":
                # '30 February 2024' is a wrong date, not the month of February: no date at all.
                return None
    return None


def _slashed(g: dict[str, str | None], language: str | None) -> dict[str, str | None] | None:
    a, b = int(str(g["a"])), int(str(g["b"]))
    if a > 12:
        day, month = a, b
    elif b > 12:
        month, day = a, b
    elif language is not None and language != "en":
        day, month = a, b
    else:
        return None  # 03/04/2024 in English: March 4 or 3 April, no way to tell
    return {"day": str(day), "mnum": str(month), "year": g["year"]}


def _to_date(g: dict[str, str | None], precision: str) -> dt.date | None:
    month = int(str(g["mnum"])) if g.get("mnum") else MONTHS.get((g.get("month") or "").lower().rstrip("."))
    if month is None:
        return None
    day = int(str(g["day"])) if precision == "day" and g.get("day") else 1
    try:
        return dt.date(int(str(g["year"])), month, day)
    except ValueError:
        return None


_DATE_LINE = re.compile(
    rf"^(?:(?:{_WEEKDAY_RE})[,،]?\s+)?(?P<date>.+?)"
    r"(?:\s*(?:г\.|года|год))?"  # '8 сентября 2013 года'
    rf"(?:\s*[,(（]?\s*(?:{_WEEKDAY_RE})[)）]?)?"  # '2024年7月11日 星期四'
    rf"(?:\s*[,，،;|–—-]?\s*{_TIME})?(?:\s*[,，،;|–—-]\s*{_PAGE})?(?:\s*[,，،;|–—-]?\s*{_TIME})?\s*\.?$",
    re.IGNORECASE,
)


def read_date_line(text: str, language: str | None = None) -> dict[str, str] | None:
    """Fields of a line that holds nothing but a date (and maybe a weekday, a time, a page number)."""
    fields = _date_line_fields(text, language)
    return dict(fields) if fields is not None else None  # a copy: the answer is remembered


@lru_cache(maxsize=4096)  # _DATE_LINE takes ~0.1 ms even on a short footer, and footers recur dump after dump
def _date_line_fields(text: str, language: str | None) -> dict[str, str] | None:
    line = _ascii_digits(text.strip())
    if _A_YEAR.search(line) is None:
        return None  # every date form has a year in it: most lines stop here, before the costly _DATE_LINE
    m = _DATE_LINE.match(line)
    if m is None:
        return None
    core = m.group("date").strip(" ,.")
    parsed = parse_date(core, language)
    # The date expression must be the whole core, not a date inside a sentence.
    if parsed is None or len(core) - len(parsed.text) > 2:
        return None
    fields = {"date": text.strip()}
    if m.group("page"):
        fields["page"] = m.group("page")
    return fields
