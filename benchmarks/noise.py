"""A labelled, noise-wrapped benchmark set: real article text wrapped in generated scraper noise.

    python benchmarks/noise.py OUT_DIR [--n 1000] [--seed 7]     # writes OUT_DIR/*.txt and OUT_DIR/labels.jsonl

Real bodies and headlines come from /work/shared/corpora (or $NEWSPREP_CORPORA); everything around them is
generated here from our own templates, so every line's role is known: body, title, or noise of a given kind.
The templates are written independently of tasks/data/rules on purpose: the set measures how far the rules
generalize, not whether they match their own examples. Publisher names come from tasks/data/outlets.toml.

Dump i is built from its own `random.Random(f"{seed}:{i}")`, so the first k dumps of a run of n are the
same k dumps whatever n is: `--limit` on the benchmark takes a prefix, not a different sample.
Corpus text is never written into the repository: `write_dumps` refuses a folder inside it.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import hashlib
import html
import json
import os
import random
import re
import sys
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = Path(os.environ.get("NEWSPREP_CORPORA", "/work/shared/corpora"))
OUTLETS_TOML = ROOT / "tasks" / "data" / "outlets.toml"

# Share of dumps per language. English is the largest real corpus; every other language gets enough dumps
# (about 70 in 1,000) for its own row in the table to mean something.
LANG_WEIGHTS = {"en": 0.30, "es": 0.11, "de": 0.09, "fr": 0.08, "pt": 0.10, "it": 0.08, "ru": 0.08, "ar": 0.08, "zh": 0.08}
# Languages whose corpora have real headlines; the fr/it stand-in headlines are sentences, no use for splitting.
MULTI_LANGS = ("en", "es", "pt", "ar", "zh")
MAX_PARAGRAPHS = 14  # longer bodies add time, not information: noise sits at the edges and between paragraphs
MIN_PARAGRAPH_WORDS = 8  # shorter lines in the source texts are often their own scraper residue: not reliable body


# --------------------------------------------------------------------------------------------- source texts


@dataclass(frozen=True)
class SourceDoc:
    """One real article: its headline when the corpus has one, and its body paragraphs."""

    doc_id: str
    lang: str
    title: str | None
    paragraphs: tuple[str, ...]


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def word_count(text: str) -> int:
    cjk = len(_CJK.findall(text))
    if cjk > len(text) * 0.3:
        return max(1, cjk // 2)  # about two characters make a word in Chinese
    return len(text.split())


# Some corpus texts carry Windows-1252 punctuation as C1 control characters ('j\x92aime'): read them as meant.
_C1 = {c: bytes([c]).decode("cp1252", errors="ignore") or " " for c in range(0x80, 0xA0)}


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\ufeff", "").translate(_C1)).strip()


def _body(parts: Iterable[str]) -> tuple[str, ...]:
    """Keep prose-sized paragraphs only, without exact repeats, capped in number."""
    seen: set[str] = set()
    out: list[str] = []
    for part in parts:
        p = _squash(part)
        if word_count(p) < MIN_PARAGRAPH_WORDS or p in seen:
            continue
        seen.add(p)
        out.append(p)
    return tuple(out[:MAX_PARAGRAPHS])


_SENTENCE_END = {
    "latin": re.compile(r"(?<=[.!?…])[\"»”’]?\s+(?=[\"«„“(]?[A-ZÀ-ÞА-ЯЁ0-9])"),
    "ar": re.compile(r"(?<=[.!؟])\s+"),
    "zh": re.compile(r"(?<=[。！？])"),
}


def sentences(text: str, script: str = "latin") -> list[str]:
    return [s.strip() for s in _SENTENCE_END[script].split(text) if s.strip()]


def _paragraphs_from_run(text: str, rng: random.Random, script: str = "latin") -> list[str]:
    """Cut a text stored on one line into paragraphs of two to four sentences, as a page would show it."""
    sents = sentences(text, script)
    glue = "" if script == "zh" else " "
    out: list[str] = []
    while sents:
        k = rng.randint(2, 4)
        out.append(glue.join(sents[:k]))
        sents = sents[k:]
    return out


def _hard_wrapped(lines: list[str]) -> bool:
    """Most lines stop mid-sentence: a text broken at a fixed width, not at paragraph ends."""
    full = [line for line in lines if line.strip()]
    open_ended = sum(1 for line in full if not re.search(r"[.!?…:»\"”)]\s*$", line))
    return len(full) > 4 and open_ended > len(full) / 2


def _is_headline(text: str) -> bool:
    t = text.strip()
    return bool(t) and 3 <= word_count(t) <= 22 and t[-1] not in ".:;,!?…" and any(c.isalpha() for c in t)


def load_bbc(corpora: Path) -> list[SourceDoc]:
    docs = []
    for path in sorted((corpora / "bbc").glob("*/*.txt")):
        try:
            lines = path.read_text("utf-8").split("\n")
        except UnicodeDecodeError:
            continue  # one file of the 2,225 is not UTF-8; not worth a guess
        body = _body(lines[1:])
        if body and _is_headline(lines[0]):
            docs.append(SourceDoc(f"bbc/{path.parent.name}/{path.stem}", "en", _squash(lines[0]), body))
    return docs


def load_spanish(corpora: Path) -> list[SourceDoc]:
    docs = []
    for path in sorted((corpora / "lang/FakeNewsCorpusSpanish/txt").glob("*/*.txt")):
        lines = path.read_text("utf-8").split("\n")
        title = _squash(lines[0])
        if _hard_wrapped(lines[1:]):
            continue  # PDF-style line breaks inside sentences: where its paragraphs end is unknown
        # The corpus's Text column often repeats the headline (and the standfirst) at its top.
        body = _body(line for line in lines[1:] if _squash(line).casefold() != title.casefold())
        if body:
            docs.append(SourceDoc(f"es/{path.parent.name}/{path.stem}", "es", title if _is_headline(title) else None, body))
    return docs


def load_german(corpora: Path) -> list[SourceDoc]:
    """10kGNAD keeps each article on one line without its headline: title-less dumps by construction."""
    docs = []
    rng = random.Random("10kGNAD")
    for path in sorted((corpora / "lang/10kGNAD/txt").glob("*.txt")):
        body = _body(_paragraphs_from_run(path.read_text("utf-8"), rng))
        if len(body) >= 2:
            docs.append(SourceDoc(f"de/{path.stem}", "de", None, body))
    return docs


def load_leipzig(corpora: Path, lang: str) -> list[SourceDoc]:
    """Articles assembled from Leipzig news-corpus sentences (lingua-py test data): the only fr/it news text here.

    The sentences are real but come from different pages, so these bodies are not coherent stories; for
    line cleaning that does not matter. A short sentence without its full stop stands in for the headline.
    """
    path = corpora / f"lang/lingua-py/language-testdata/sentences/{lang}.txt"
    sents = [_squash(s) for s in path.read_text("utf-8").split("\n") if word_count(s) >= 4]
    rng = random.Random(f"leipzig:{lang}")
    rng.shuffle(sents)
    heads = [s for s in sents if 5 <= word_count(s) <= 14 and s[0].isupper() and s.endswith(".") and ":" not in s]
    heads = heads[: len(sents) // 13]
    rest = [s for s in sents if s not in set(heads)]
    docs = []
    for n, head in enumerate(heads):
        body: list[str] = []
        for _ in range(rng.randint(3, 6)):
            k = rng.randint(2, 4)
            body.append(" ".join(rest[:k]))
            rest = rest[k:]
        body_t = _body(body)
        if body_t:
            docs.append(SourceDoc(f"{lang}/leipzig/{n}", lang, head.rstrip("."), body_t))
    return docs


def load_portuguese(corpora: Path) -> list[SourceDoc]:
    """Fake.br texts: paragraphs are separated by blank lines, and many are hard-wrapped inside a paragraph."""
    docs = []
    rng = random.Random("fakebr")
    for path in sorted((corpora / "scraped/Fake.br-Corpus/full_texts").glob("*/*.txt")):
        if "meta" in path.parent.name:
            continue
        raw = path.read_text("utf-8").replace("\ufeff", "").replace("\r\n", "\n")
        blocks = [b.split("\n") for b in re.split(r"\n\s*\n", raw.strip()) if b.strip()]
        # An item opens with its headline only when that is a block of one line; the others have none.
        title = _squash(blocks[0][0]) if blocks and len(blocks[0]) == 1 and _is_headline(blocks[0][0]) else None
        paras: list[str] = []
        for block in blocks[1:] if title else blocks:
            joined = _squash(" ".join(block))
            paras += _paragraphs_from_run(joined, rng) if word_count(joined) > 150 else [joined]
        body = _body(paras)
        if body:
            docs.append(SourceDoc(f"pt/{path.parent.name}/{path.stem}", "pt", title, body))
    return docs


def load_russian(corpora: Path) -> list[SourceDoc]:
    """kod.ru HTML fragments: <p> elements are the paragraphs; the lead image's alt text is the headline."""
    docs = []
    for path in sorted((corpora / "scraped/info-search_kodru/articles").glob("*.txt"), key=lambda p: int(p.stem)):
        raw = path.read_text("utf-8")
        paras = [html.unescape(re.sub(r"<[^>]+>", "", p)) for p in re.findall(r"<p>(.*?)</p>", raw, re.S)]
        alt = re.search(r'alt="([^"]+)"', raw)
        title = _squash(html.unescape(alt.group(1))) if alt else None
        body = _body(paras)
        if body:
            docs.append(SourceDoc(f"ru/kodru/{path.stem}", "ru", title if title and _is_headline(title) else None, body))
    return docs


def load_arabic(corpora: Path) -> list[SourceDoc]:
    """University news with headlines (Multilingual-News-Dataset) and febrayer.com items without (scrapy lists)."""
    docs = []
    rng = random.Random("arabic")
    for path in sorted((corpora / "lang/Multilingual-News-Dataset/txt/ar").glob("*.txt"), key=lambda p: int(p.stem)):
        title, _, content = path.read_text("utf-8").partition("\n")
        body = _body(_paragraphs_from_run(_squash(content), rng, "ar"))
        if body and word_count(" ".join(body)) >= 40:
            docs.append(SourceDoc(f"ar/mnd/{path.stem}", "ar", _squash(title) if _is_headline(title) else None, body))
    for path in sorted((corpora / "scraped/The-Moroccan-News-Corpus/febrayer_lines").glob("*.txt")):
        raw = path.read_text("utf-8")
        try:
            paras = ast.literal_eval(raw.partition("content:")[2].strip())
        except (SyntaxError, ValueError):
            continue
        body = _body(paras)
        if body:
            docs.append(SourceDoc(f"ar/febrayer/{path.stem}", "ar", None, body))
    return docs


def load_chinese(corpora: Path) -> list[SourceDoc]:
    docs = []
    rng = random.Random("sogou")
    with open(corpora / "lang/SogouCA_smarty/docs_utf8.jsonl", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            content = _squash(rec.get("content") or "")
            title = _squash(rec.get("contenttitle") or "")
            if len(content) < 120:
                continue
            if "剩余可输入字符数" in title:
                title = ""  # a comment box's counter scraped as the title ('characters left: 4000'), not a headline
            body = _body(_paragraphs_from_run(content, rng, "zh"))
            if body:
                docs.append(SourceDoc(f"zh/{rec['docno']}", "zh", title if _is_headline(title) else None, body))
    return docs


@cache
def load_sources(corpora: Path = CORPORA) -> dict[str, tuple[SourceDoc, ...]]:
    loaders: dict[str, Callable[[], list[SourceDoc]]] = {
        "en": lambda: load_bbc(corpora),
        "es": lambda: load_spanish(corpora),
        "de": lambda: load_german(corpora),
        "fr": lambda: load_leipzig(corpora, "fr"),
        "pt": lambda: load_portuguese(corpora),
        "it": lambda: load_leipzig(corpora, "it"),
        "ru": lambda: load_russian(corpora),
        "ar": lambda: load_arabic(corpora),
        "zh": lambda: load_chinese(corpora),
    }
    return {lang: tuple(load()) for lang, load in loaders.items()}


@cache
def headline_pool(corpora: Path = CORPORA) -> dict[str, tuple[str, ...]]:
    """Real headlines per language for 'related' links; Leipzig sentences fill in where a corpus has none."""
    pools: dict[str, list[str]] = {}
    for lang, docs in load_sources(corpora).items():
        pools[lang] = [d.title for d in docs if d.title]
        if len(pools[lang]) < 50:
            path = corpora / f"lang/lingua-py/language-testdata/sentences/{lang}.txt"
            extra = [_squash(s).rstrip(".") for s in path.read_text("utf-8").split("\n") if 5 <= word_count(s) <= 12]
            pools[lang] += extra[:200]
    return {k: tuple(v) for k, v in pools.items()}


# ------------------------------------------------------------------------------------------ outlets, agencies

_SCRIPT = {"ru": re.compile(r"[А-Яа-яЁё]"), "ar": re.compile(r"[\u0600-\u06ff]"), "zh": re.compile(r"[\u4e00-\u9fff]")}


@dataclass(frozen=True)
class OutletName:
    canonical: str  # the registry's name: what the pipeline should report
    written: str  # how this dump writes it


# The outlets each language's dumps name, by their registry name. A fixed list, not every outlet of a language:
# the registry grows while the pipeline is worked on, and a growing pool would change the set under our feet.
OUTLETS = {
    "en": ["BBC News", "The Guardian", "The New York Times", "The Washington Post", "CNN", "Al Jazeera", "NPR",
           "Times of India", "The Hindu", "South China Morning Post", "The Sydney Morning Herald", "CBC",
           "Daily Maverick", "Arab News", "The Japan Times", "Kyiv Independent", "Financial Times", "Gulf News"],
    "es": ["El País", "El Mundo", "La Vanguardia", "Clarín", "La Nación", "Página/12", "El Universal", "La Jornada",
           "Milenio", "Reforma", "El Tiempo", "El Espectador", "El Mercurio", "La Tercera", "Excélsior", "Univision"],
    "de": ["Der Spiegel", "Die Zeit", "Die Welt", "Süddeutsche Zeitung", "Frankfurter Allgemeine Zeitung", "Tagesschau",
           "ZDF", "Deutsche Welle", "Der Standard", "Die Presse", "Neue Zürcher Zeitung", "SRF", "Tages-Anzeiger"],
    "fr": ["Le Monde", "Le Figaro", "Libération", "Les Échos", "France 24", "Franceinfo", "RFI", "Le Soir", "RTBF",
           "Le Temps", "Radio-Canada"],
    "pt": ["Folha de S.Paulo", "Estadão", "O Globo", "g1", "Público", "Expresso", "Diário de Notícias", "RTP"],
    "it": ["Corriere della Sera", "La Repubblica", "La Stampa", "Il Sole 24 Ore", "Rai News"],
    "ru": ["Izvestia", "Kommersant", "RIA Novosti", "Rossiyskaya Gazeta", "Vedomosti", "TASS", "Sputnik", "RT"],
    "ar": ["Al-Ahram", "Al-Masry Al-Youm", "Al Arabiya", "Al Jazeera"],
    "zh": ["Xinhua", "People's Daily", "Caixin", "Global Times", "China Daily", "RTHK", "Liberty Times", "United Daily News"],
}


@cache
def outlet_names() -> dict[str, tuple[str, ...]]:
    """Registry name -> every way outlets.toml lets one write it (name and aliases)."""
    data = tomllib.loads(OUTLETS_TOML.read_text("utf-8"))
    return {o["name"]: (o["name"], *o.get("aliases", [])) for o in data["outlet"]}


def pick_outlet(rng: random.Random, lang: str) -> OutletName:
    known = outlet_names()
    # One in ten pages republishes a foreign outlet (a translation, as on the bundled samples).
    source_lang = lang if rng.random() > 0.1 else "en"
    canonical = rng.choice([n for n in OUTLETS[source_lang] if n in known] or ["BBC News"])
    names = known.get(canonical, (canonical,))
    script = _SCRIPT.get(lang)
    native = [n for n in names if script and script.search(n)]
    plain = [n for n in names if "." not in n or " " in n] or [canonical]  # names and aliases, not bare domains
    r = rng.random()
    if native and r < 0.6:
        written = rng.choice(native)
    elif r < 0.9:
        written = canonical if rng.random() < 0.6 else rng.choice(plain)
    else:
        written = rng.choice(names)
    return OutletName(canonical, written)


# Wire agencies as each language's pages credit them; no two entries of a list are the same agency.
AGENCIES = {
    "en": ["AFP", "Reuters", "AP", "PA Media", "Bloomberg", "UPI"],
    "es": ["EFE", "AFP", "Europa Press", "Reuters", "Notimex", "AP"],
    "de": ["dpa", "AFP", "Reuters", "APA", "KNA", "epd"],
    "fr": ["AFP", "Reuters", "Belga", "AP"],
    "pt": ["Lusa", "AFP", "Agência Brasil", "Reuters", "EFE"],
    "it": ["ANSA", "AFP", "Reuters", "Adnkronos"],
    "ru": ["ТАСС", "Интерфакс", "РИА Новости", "Reuters"],
    "ar": ["رويترز", "أ ف ب", "واس", "قنا", "الأناضول"],
    "zh": ["新华社", "中新社", "路透社", "法新社"],
}
AND = {"en": " and ", "es": " y ", "de": " und ", "fr": " et ", "pt": " e ", "it": " e ", "ru": " и ", "ar": " و", "zh": "、"}


def credit_line(rng: random.Random, lang: str) -> str:
    agencies = rng.sample(AGENCIES[lang], rng.choice([1, 2, 2]))
    joiner = rng.choice([AND[lang], AND[lang], "/", ", "]) if len(agencies) > 1 else ""
    text = joiner.join(agencies)
    return f"({text})" if rng.random() < 0.15 else text


# ------------------------------------------------------------------------------------------------ dates

MONTHS = {
    "en": "January February March April May June July August September October November December",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "ar": "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر",
}
WEEKDAYS = {
    "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
    "es": "lunes martes miércoles jueves viernes sábado domingo",
    "de": "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag",
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche",
    "pt": "segunda-feira terça-feira quarta-feira quinta-feira sexta-feira sábado domingo",
    "it": "lunedì martedì mercoledì giovedì venerdì sabato domenica",
    "ru": "понедельник вторник среда четверг пятница суббота воскресенье",
    "ar": "الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد",
    "zh": "星期一 星期二 星期三 星期四 星期五 星期六 星期日",
}
# How each language writes a full date; {W} weekday, {M} month name, {d} {m} {Y} numbers, {dd} {mm} padded.
DATE_FORMS = {
    "en": ["{W}, {M} {d}, {Y}", "{d} {M} {Y}", "{M} {d}, {Y}", "{W} {d} {M} {Y}", "{W}, {d} {M} {Y}"],
    "es": ["{W} {d} de {M} de {Y}", "{d} de {M} de {Y}", "{W}, {d} de {M} de {Y}", "{dd}/{mm}/{Y}"],
    "de": ["{W}, {d}. {M} {Y}", "{d}. {M} {Y}", "{dd}.{mm}.{Y}", "{W}, {dd}.{mm}.{Y}"],
    "fr": ["{W} {d} {M} {Y}", "{d} {M} {Y}", "{W}, {d} {M} {Y}", "{dd}/{mm}/{Y}"],
    "pt": ["{W}, {d} de {M} de {Y}", "{d} de {M} de {Y}", "{W} {d} de {M} de {Y}", "{dd}/{mm}/{Y}"],
    "it": ["{W} {d} {M} {Y}", "{d} {M} {Y}", "{W}, {d} {M} {Y}", "{dd}/{mm}/{Y}"],
    "ru": ["{d} {M} {Y}", "{d} {M} {Y} года", "{dd}.{mm}.{Y}", "{W}, {d} {M} {Y}"],
    "ar": ["{W} {d} {M} {Y}", "{d} {M} {Y}", "{W}، {d} {M} {Y}"],
    "zh": ["{Y}年{m}月{d}日", "{Y}年{m}月{d}日 {W}", "{Y}-{mm}-{dd}"],
}


def random_date(rng: random.Random) -> dt.date:
    return dt.date(2012, 1, 1) + dt.timedelta(days=rng.randrange(14 * 365))


def write_date(rng: random.Random, lang: str, day: dt.date) -> str:
    form = rng.choice(DATE_FORMS[lang])
    months = MONTHS.get(lang, MONTHS["en"]).split()
    text = form.format(
        W=WEEKDAYS[lang].split()[day.weekday()],
        M=months[day.month - 1],
        d=day.day,
        m=day.month,
        Y=day.year,
        dd=f"{day.day:02d}",
        mm=f"{day.month:02d}",
    )
    return text[:1].upper() + text[1:]


def clock(rng: random.Random) -> tuple[str, str]:
    return f"{rng.randrange(6, 23):02d}", f"{rng.randrange(60):02d}"


# --------------------------------------------------------------------------------------- noise templates
# Several phrasings per kind and language. {o} outlet as written, {Y} a year, {n} a count, {h} another
# article's headline, {name} a photographer, {handle} a social handle, {t1}-{t3} section names.

STRAY_HEADERS = [
    "__temp__ __location__", "`", "{{ article.header }}", "{{ page.title }}", "{% include 'partials/header.html' %}",
    "[[HEADLINE]]", "%HEADLINE%", "undefined", "null", "<!-- begin article -->", "$article_header", "{{ meta.byline }}",
    "#main-content", "[object Object]", "NaN", "{{#if featured}}",
]
SKIP_LINKS = {
    "en": ["Skip to main content", "Skip to content", "Menu", "Search"],
    "es": ["Ir al contenido", "Saltar al contenido principal", "Menú", "Buscar"],
    "de": ["Zum Inhalt springen", "Direkt zum Inhalt", "Menü", "Suche"],
    "fr": ["Aller au contenu", "Aller au contenu principal", "Menu", "Rechercher"],
    "pt": ["Pular para o conteúdo", "Ir para o conteúdo principal", "Menu", "Buscar"],
    "it": ["Vai al contenuto", "Salta al contenuto principale", "Menu", "Cerca"],
    "ru": ["Перейти к содержанию", "Перейти к основному содержанию", "Меню", "Поиск"],
    "ar": ["انتقل إلى المحتوى", "تخطى إلى المحتوى الرئيسي", "القائمة", "بحث"],
    "zh": ["跳到主要内容", "跳过导航", "菜单", "搜索"],
}
INLINE_HEADER = {
    "en": [" date {iso} Title: {t}", "date {iso} Title: {t}", " Date {iso} Title: {t}", " date {iso}  Title: {t}"],
    "es": [" fecha {iso} Título: {t}"],
    "de": [" datum {iso} Titel: {t}"],
    "fr": [" date {iso} Titre : {t}", " date {iso} Titre: {t}"],
    "pt": [" data {iso} Título: {t}"],
    "it": [" data {iso} Titolo: {t}"],
    "ru": [" дата {iso} Заголовок: {t}"],
    "ar": [" التاريخ {iso} العنوان: {t}"],
    "zh": [" 日期 {iso} 标题：{t}"],
}
SUBTITLE_LABELS = {
    "en": ["Subtitle: ", "Subtitle: ", "Standfirst: ", "Summary: "],
    "es": ["Subtítulo: ", "Subtítulo: ", "Bajada: ", "Sumario: "],
    "de": ["Untertitel: ", "Untertitel: ", "Teaser: ", "Vorspann: "],
    "fr": ["Sous-titre : ", "Sous-titre: ", "Chapô : ", "Résumé : "],
    "pt": ["Subtítulo: ", "Subtítulo: ", "Linha fina: ", "Resumo: "],
    "it": ["Sottotitolo: ", "Sottotitolo: ", "Occhiello: ", "Sommario: "],
    "ru": ["Подзаголовок: ", "Подзаголовок: ", "Лид: ", "Кратко: "],
    "ar": ["العنوان الفرعي: ", "العنوان الفرعي: ", "ملخص: "],
    "zh": ["副标题：", "副标题：", "摘要：", "导语："],
}
DATE_STUBS = {
    "en": ["Date: [Current Date]", "Published: [DATE]", "Date: {{date}}", "Updated: %DATE%", "Date: MM/DD/YYYY", "Posted on [insert date]"],
    "es": ["Fecha: [Fecha actual]", "Publicado: [FECHA]", "Fecha: DD/MM/AAAA", "Actualizado: {{fecha}}", "Fecha: [insertar fecha]"],
    "de": ["Datum: [DATUM]", "Veröffentlicht: [Datum einfügen]", "Datum: TT.MM.JJJJ", "Stand: {{datum}}"],
    "fr": ["Date : [Date du jour]", "Publié le : [DATE]", "Date : JJ/MM/AAAA", "Mis à jour : {{date}}"],
    "pt": ["Data: [Data atual]", "Publicado em: [DATA]", "Data: DD/MM/AAAA", "Atualizado: {{data}}"],
    "it": ["Data: [Data odierna]", "Pubblicato il: [DATA]", "Data: GG/MM/AAAA", "Aggiornato: {{data}}"],
    "ru": ["Дата: [Текущая дата]", "Опубликовано: [ДАТА]", "Дата: ДД.ММ.ГГГГ", "Обновлено: {{date}}"],
    "ar": ["التاريخ: [التاريخ الحالي]", "نشر في: [التاريخ]", "التاريخ: يوم/شهر/سنة", "تاريخ النشر: {{date}}"],
    "zh": ["日期：[当前日期]", "发布时间：[日期]", "日期：YYYY-MM-DD", "更新时间：{{date}}"],
}
DATE_LABELS = {  # a date line with a label; {date} written in the language, {hh}:{mm} a time
    "en": ["Published: {date}", "Posted on {date}", "Published {date} at {hh}:{mm}", "First published on {date}", "{date} | {hh}:{mm} GMT", "{date}"],
    "es": ["Publicado: {date}", "Publicado el {date}", "{date} - {hh}:{mm} h", "Actualizado el {date}", "{date}"],
    "de": ["Veröffentlicht am {date}", "Stand: {date}", "Erschienen am {date}", "{date}, {hh}:{mm} Uhr", "{date}"],
    "fr": ["Publié le {date}", "Publié le {date} à {hh}h{mm}", "Mis à jour le {date}", "{date}"],
    "pt": ["Publicado em {date}", "Publicado em {date} às {hh}h{mm}", "Atualizado em {date}", "{date}"],
    "it": ["Pubblicato il {date}", "{date} alle {hh}:{mm}", "Aggiornato il {date}", "{date}"],
    "ru": ["Опубликовано: {date}", "{date}, {hh}:{mm}", "Дата публикации: {date}", "{date}"],
    "ar": ["نشر في: {date}", "تاريخ النشر: {date}", "{date} - {hh}:{mm}", "{date}"],
    "zh": ["发布时间：{date} {hh}:{mm}", "发布日期：{date}", "{date} {hh}:{mm}", "{date}"],
}
NEWSPAPER_LINES = {
    "en": ["The newspaper {o}", "The newspaper {o}", "Newspaper {o}", "The daily {o}", "Print edition: {o}"],
    "es": ["El periódico {o}", "El periódico {o}", "Periódico {o}", "Diario {o}", "Edición impresa: {o}"],
    "de": ["Die Zeitung {o}", "Die Zeitung {o}", "Zeitung {o}", "Tageszeitung {o}", "Printausgabe: {o}"],
    "fr": ["Le journal {o}", "Le quotidien {o}", "Le quotidien {o}", "Journal {o}", "Édition imprimée : {o}"],
    "pt": ["O jornal {o}", "O jornal {o}", "Jornal {o}", "Edição impressa: {o}"],
    "it": ["Il quotidiano {o}", "Il giornale {o}", "Quotidiano {o}", "Edizione cartacea: {o}"],
    "ru": ["Газета {o}", "Газета «{o}»", "Печатная версия: {o}"],
    "ar": ["صحيفة {o}", "جريدة {o}", "صحيفة «{o}»"],
    "zh": ["《{o}》", "{o}报纸", "来源报纸：{o}"],
}
PAGE_SUFFIX = {
    "en": [", p. {p}", ", page {p}", " | Page {p}", ", p. A{p}"],
    "es": [", p. {p}", ", pág. {p}", " | Página {p}"],
    "de": [", S. {p}", ", Seite {p}", " | S. {p}"],
    "fr": [", p. {p}", ", page {p}"],
    "pt": [", p. {p}", ", pág. {p}", " | Página {p}"],
    "it": [", p. {p}", ", pag. {p}", " | Pagina {p}"],
    "ru": [", с. {p}", ", стр. {p}"],
    "ar": ["، ص {p}", "، الصفحة {p}"],
    "zh": [" 第{p}版", "，第{p}版"],
}
SOURCE_LINES = {
    "en": ["Source: {o}", "SOURCE: {o}", "Source - {o}", "Originally published by {o}", "This article first appeared on {o}", "Via {o}"],
    "es": ["Fuente: {o}", "FUENTE: {o}", "Con información de {o}", "Publicado originalmente en {o}"],
    "de": ["Quelle: {o}", "QUELLE: {o}", "Zuerst erschienen bei {o}", "Mit Material von {o}"],
    "fr": ["Source : {o}", "Source: {o}", "Article initialement publié par {o}", "Avec {o}"],
    "pt": ["Fonte: {o}", "FONTE: {o}", "Publicado originalmente em {o}", "Com informações de {o}"],
    "it": ["Fonte: {o}", "FONTE: {o}", "Articolo pubblicato originariamente su {o}"],
    "ru": ["Источник: {o}", "По материалам {o}", "Оригинал: {o}"],
    "ar": ["المصدر: {o}", "المصدر : {o}", "نقلا عن {o}"],
    "zh": ["来源：{o}", "来源: {o}", "稿源：{o}", "本文来源：{o}"],
}
COPYRIGHT_NAMED = {
    "en": ["© {Y} {o}", "Copyright © {Y} {o}. All rights reserved.", "© {o} {Y}", "{O} MEDIA NETWORK", "Copyright {Y} {o}", "© {Y} {o} - All rights reserved"],
    "es": ["© {Y} {o}. Todos los derechos reservados.", "Copyright © {o} {Y}", "Todos los derechos reservados © {o}", "© {o}"],
    "de": ["© {o} {Y}", "© {Y} {o}. Alle Rechte vorbehalten.", "Copyright © {Y} {o}", "© {o}"],
    "fr": ["© {o} {Y}", "© {Y} {o} – Tous droits réservés", "Copyright {o} {Y}", "© {o}"],
    "pt": ["© {Y} {o}. Todos os direitos reservados.", "Copyright © {o}", "© {o} {Y}"],
    "it": ["© {Y} {o} - Tutti i diritti riservati", "Copyright © {o} {Y}", "© {o}"],
    "ru": ["© {Y} {o}", "© {o}, {Y}. Все права защищены.", "Все права защищены © {o}"],
    "ar": ["© {Y} {o}", "جميع الحقوق محفوظة © {o} {Y}", "حقوق النشر © {Y} {o}"],
    "zh": ["版权所有 © {o}", "© {Y} {o} 版权所有", "{o} 版权所有，未经授权不得转载"],
}
COPYRIGHT_PLAIN = {  # footers that name no outlet
    "en": ["All rights reserved.", "© All rights reserved", "Terms of use | Privacy policy"],
    "es": ["Todos los derechos reservados.", "Aviso legal | Política de privacidad"],
    "de": ["Alle Rechte vorbehalten.", "Impressum | Datenschutz"],
    "fr": ["Tous droits réservés.", "Mentions légales | Confidentialité"],
    "pt": ["Todos os direitos reservados.", "Termos de uso | Política de privacidade"],
    "it": ["© RIPRODUZIONE RISERVATA", "Tutti i diritti riservati.", "Note legali | Privacy"],
    "ru": ["Все права защищены.", "Полное или частичное копирование материалов запрещено."],
    "ar": ["جميع الحقوق محفوظة", "سياسة الخصوصية | شروط الاستخدام"],
    "zh": ["版权所有，翻印必究", "免责声明 | 隐私政策"],
}
IMAGE_CREDITS = {
    "en": ["Image Source: Getty Images", "Photo: Reuters", "(Photo by {name}/AFP via Getty Images)", "Image: Shutterstock", "Picture credit: PA Media", "Credit: {name}/Reuters", "Getty Images"],
    "es": ["Foto: EFE", "Imagen: Archivo", "Fotografía: {name}", "(Foto: Cuartoscuro)", "Crédito: Getty Images"],
    "de": ["Bild: picture alliance/dpa", "Foto: dpa", "Foto: imago images/{name}", "Bildquelle: Getty Images", "Foto: APA/{name}"],
    "fr": ["Photo : AFP", "Crédit photo : {name} / AFP", "Photo d'illustration : Pixabay", "Photo: Reuters"],
    "pt": ["Foto: Agência Brasil", "Imagem: Reprodução", "Crédito: Divulgação", "Foto: {name}"],
    "it": ["Foto: ANSA", "Foto di {name}", "Immagine: Getty Images", "(foto: LaPresse)"],
    "ru": ["Фото: ТАСС", "Фото: {name}", "Фото: Getty Images", "Изображение: Shutterstock"],
    "ar": ["الصورة: رويترز", "صورة أرشيفية", "(الصورة: أ ف ب)", "تصوير: {name}"],
    "zh": ["图片来源：新华社", "图片来源：视觉中国", "（图片来源：网络）", "摄影：{name}"],
}
PHOTOGRAPHERS = {
    "en": ["John Carter", "Sarah Mills"], "es": ["Luis Ortega", "Ana Ruiz"], "de": ["Jan Becker", "Lena Vogt"],
    "fr": ["Julien Roux", "Claire Petit"], "pt": ["Pedro Alves", "Marta Sousa"], "it": ["Marco Bruni", "Giulia Conti"],
    "ru": ["Иван Петров", "Анна Смирнова"], "ar": ["أحمد علي", "سارة حسن"], "zh": ["王磊", "李娜"],
}
SHARE_LINES = {
    "en": ["Share this: Twitter", "Share on Facebook", "Share", "Tweet", "Share this article", "Copy link", "Share via Email"],
    "es": ["Compartir en: Facebook", "Compartir", "Compartir en Twitter", "Enviar por WhatsApp", "Copiar enlace"],
    "de": ["Teilen:", "Auf Facebook teilen", "Artikel teilen", "Per E-Mail versenden", "Link kopieren"],
    "fr": ["Partager :", "Partager sur Facebook", "Partager cet article", "Envoyer par e-mail", "Copier le lien"],
    "pt": ["Compartilhe:", "Compartilhar no Facebook", "Compartilhe esta notícia", "Enviar por e-mail", "Copiar link"],
    "it": ["Condividi", "Condividi su Facebook", "Condividi questo articolo", "Invia per email", "Copia link"],
    "ru": ["Поделиться:", "Поделиться в ВКонтакте", "Поделиться в Telegram", "Скопировать ссылку", "Отправить по почте"],
    "ar": ["شارك:", "شارك على فيسبوك", "شارك هذا المقال", "أرسل عبر البريد", "نسخ الرابط"],
    "zh": ["分享到：", "分享到微信", "分享到微博", "复制链接", "分享"],
}
NETWORKS = {
    "default": ["Facebook", "Twitter", "X", "WhatsApp", "Telegram", "LinkedIn", "Email", "Pinterest"],
    "ru": ["ВКонтакте", "Telegram", "Одноклассники", "WhatsApp"],
    "zh": ["微信", "微博", "QQ空间", "豆瓣"],
}
FOLLOW_LINES = {
    "en": ["Follow us on Twitter @{handle}", "Follow us on Instagram", "Follow us: Facebook | X | Instagram", "Join us on Telegram"],
    "es": ["Síguenos en Twitter", "Síguenos en nuestras redes sociales", "Síguenos en Google News", "Únete a nuestro canal de WhatsApp"],
    "de": ["Folgen Sie uns auf Twitter", "Folgen Sie uns auf Instagram und Facebook", "Jetzt folgen", "Folge uns auf WhatsApp"],
    "fr": ["Suivez-nous sur Twitter", "Suivez-nous sur Facebook et Instagram", "Rejoignez-nous sur Telegram"],
    "pt": ["Siga-nos no Instagram", "Siga a gente no Twitter", "Acompanhe nosso canal no WhatsApp"],
    "it": ["Seguici su Facebook", "Seguici su Instagram e Twitter", "Segui il nostro canale Telegram"],
    "ru": ["Подписывайтесь на нас в Telegram", "Следите за нами во ВКонтакте", "Подписаться на канал"],
    "ar": ["تابعونا على تويتر", "تابعونا على فيسبوك وإنستغرام", "انضم إلى قناتنا على تلغرام"],
    "zh": ["关注我们的微信公众号", "扫码关注我们", "关注微博 @{handle}"],
}
COMMENT_LINES = {
    "en": ["Leave a comment", "Your email address will not be published. Required fields are marked *", "No comments:", "Post a Comment", "Comments ({n})", "{n} comments", "Join the conversation", "Log in to comment"],
    "es": ["Deja un comentario", "Comentarios ({n})", "Inicia sesión para comentar", "Tu dirección de correo electrónico no será publicada.", "{n} comentarios"],
    "de": ["Kommentar schreiben", "Kommentare ({n})", "Jetzt kommentieren", "Melden Sie sich an, um zu kommentieren", "{n} Kommentare"],
    "fr": ["Laisser un commentaire", "Commentaires ({n})", "Réagir à cet article", "Connectez-vous pour commenter", "{n} commentaires"],
    "pt": ["Deixe um comentário", "Comentários ({n})", "Faça login para comentar", "O seu endereço de e-mail não será publicado.", "{n} comentários"],
    "it": ["Lascia un commento", "Commenti ({n})", "Accedi per commentare", "Il tuo indirizzo email non sarà pubblicato.", "{n} commenti"],
    "ru": ["Оставить комментарий", "Комментарии ({n})", "Войдите, чтобы оставить комментарий", "Обсудить"],
    "ar": ["اترك تعليقا", "التعليقات ({n})", "أضف تعليقك", "سجل الدخول للتعليق"],
    "zh": ["发表评论", "评论（{n}）", "我要评论", "登录后发表评论"],
}
NEWSLETTER_LINES = {
    "en": ["Sign up for our newsletter", "Get the latest headlines delivered to your inbox every morning", "Subscribe to our daily briefing", "Newsletter: sign up now"],
    "es": ["Suscríbete a nuestro boletín", "Recibe las noticias más importantes en tu correo", "Apúntate a nuestra newsletter"],
    "de": ["Newsletter abonnieren", "Jetzt den Newsletter bestellen", "Die wichtigsten Nachrichten täglich in Ihrem Postfach"],
    "fr": ["Inscrivez-vous à notre newsletter", "Recevez chaque matin l'essentiel de l'actualité", "S'abonner à la newsletter"],
    "pt": ["Assine nossa newsletter", "Receba as principais notícias no seu e-mail", "Inscreva-se na nossa newsletter"],
    "it": ["Iscriviti alla newsletter", "Ricevi ogni mattina le notizie più importanti", "Abbonati alla nostra newsletter"],
    "ru": ["Подпишитесь на рассылку", "Получайте главные новости на почту", "Подписаться на новости"],
    "ar": ["اشترك في النشرة البريدية", "احصل على أهم الأخبار في بريدك", "اشترك الآن"],
    "zh": ["订阅我们的新闻简报", "每日要闻推送，立即订阅", "订阅"],
}
RELATED_PREFIX = {
    "en": ["Related: {h}", "Read more: {h}", "Also read: {h}", "More on this story: {h}", "RELATED | {h}", "See also: {h}"],
    "es": ["Te puede interesar: {h}", "Lee también: {h}", "Relacionado: {h}", "Más información: {h}"],
    "de": ["Lesen Sie auch: {h}", "Mehr zum Thema: {h}", "Auch interessant: {h}"],
    "fr": ["À lire aussi : {h}", "Lire aussi : {h}", "Sur le même sujet : {h}"],
    "pt": ["Leia também: {h}", "Veja também: {h}", "Saiba mais: {h}"],
    "it": ["Leggi anche: {h}", "Potrebbe interessarti: {h}", "Articoli correlati: {h}"],
    "ru": ["Читайте также: {h}", "По теме: {h}", "Смотрите также: {h}"],
    "ar": ["اقرأ أيضا: {h}", "مواضيع ذات صلة: {h}", "شاهد أيضا: {h}"],
    "zh": ["相关阅读：{h}", "延伸阅读：{h}", "相关新闻：{h}"],
}
RELATED_HEADERS = {
    "en": ["Related stories", "More from this section", "You may also like", "Most read"],
    "es": ["Más noticias", "Noticias relacionadas", "Lo más leído"],
    "de": ["Mehr zum Thema", "Das könnte Sie auch interessieren", "Meistgelesen"],
    "fr": ["À lire aussi", "Sur le même sujet", "Les plus lus"],
    "pt": ["Leia mais", "Notícias relacionadas", "Mais lidas"],
    "it": ["Leggi anche", "Articoli correlati", "I più letti"],
    "ru": ["Читайте также", "Самое читаемое", "Новости по теме"],
    "ar": ["اقرأ أيضا", "الأكثر قراءة", "أخبار ذات صلة"],
    "zh": ["相关阅读", "热门文章", "更多新闻"],
}
AD_LINES = {
    "en": ["Advertisement", "ADVERTISEMENT", "Sponsored", "Story continues below advertisement", "Promoted content"],
    "es": ["Publicidad", "PUBLICIDAD", "Contenido patrocinado", "Sigue leyendo después del anuncio"],
    "de": ["Anzeige", "ANZEIGE", "Werbung", "Weiterlesen nach der Anzeige"],
    "fr": ["Publicité", "PUBLICITÉ", "Contenu sponsorisé", "La suite après cette publicité"],
    "pt": ["Publicidade", "PUBLICIDADE", "Conteúdo patrocinado", "Continua após a publicidade"],
    "it": ["Pubblicità", "PUBBLICITÀ", "Contenuto sponsorizzato", "Continua a leggere dopo la pubblicità"],
    "ru": ["Реклама", "РЕКЛАМА", "Партнерский материал", "Продолжение после рекламы"],
    "ar": ["إعلان", "إعلانات", "محتوى مدعوم", "تابع القراءة بعد الإعلان"],
    "zh": ["广告", "推广", "赞助内容", "广告 继续阅读"],
}
COOKIE_LINES = {
    "en": ["We use cookies to give you the best experience on our website. By continuing to browse, you agree to our use of cookies.", "This site uses cookies. Accept all | Manage preferences", "Accept cookies", "We value your privacy"],
    "es": ["Utilizamos cookies propias y de terceros para mejorar nuestros servicios. Si continúa navegando, consideramos que acepta su uso.", "Aceptar cookies", "Configurar cookies"],
    "de": ["Wir verwenden Cookies, um Ihnen ein optimales Nutzererlebnis zu bieten. Mit der Nutzung unserer Website stimmen Sie dem zu.", "Alle Cookies akzeptieren", "Cookie-Einstellungen"],
    "fr": ["Nous utilisons des cookies pour vous garantir la meilleure expérience sur notre site. En poursuivant votre navigation, vous acceptez leur utilisation.", "Accepter les cookies", "Paramétrer les cookies"],
    "pt": ["Utilizamos cookies para melhorar a sua experiência. Ao continuar navegando, você concorda com a nossa política de privacidade.", "Aceitar cookies", "Gerenciar cookies"],
    "it": ["Questo sito utilizza cookie tecnici e di profilazione. Proseguendo la navigazione accetti l'uso dei cookie.", "Accetta i cookie", "Gestisci preferenze"],
    "ru": ["Мы используем файлы cookie, чтобы сделать сайт удобнее. Продолжая пользоваться сайтом, вы соглашаетесь с этим.", "Принять cookie", "Настройки cookie"],
    "ar": ["يستخدم هذا الموقع ملفات تعريف الارتباط لتحسين تجربتك. باستمرارك في التصفح فإنك توافق على ذلك.", "قبول ملفات تعريف الارتباط", "إعدادات الخصوصية"],
    "zh": ["本网站使用Cookie以改善您的浏览体验。继续浏览即表示您同意我们使用Cookie。", "接受Cookie", "隐私设置"],
}
TAG_LINES = {
    "en": ["Tags: {t1}, {t2}, {t3}", "Topics: {t1} | {t2}", "Filed under: {t1}, {t2}"],
    "es": ["Etiquetas: {t1}, {t2}, {t3}", "Temas: {t1} | {t2}"],
    "de": ["Schlagwörter: {t1}, {t2}, {t3}", "Themen: {t1} | {t2}"],
    "fr": ["Mots-clés : {t1}, {t2}, {t3}", "Thèmes : {t1} | {t2}"],
    "pt": ["Tags: {t1}, {t2}, {t3}", "Temas: {t1} | {t2}"],
    "it": ["Tag: {t1}, {t2}, {t3}", "Argomenti: {t1} | {t2}"],
    "ru": ["Теги: {t1}, {t2}, {t3}", "Темы: {t1} | {t2}"],
    "ar": ["الوسوم: {t1}، {t2}، {t3}", "كلمات مفتاحية: {t1} | {t2}"],
    "zh": ["标签：{t1} {t2} {t3}", "关键词：{t1}，{t2}"],
}
SECTIONS = {
    "en": "News World Business Politics Sport Technology Health Culture Economy Europe",
    "es": "Noticias Internacional Economía Política Deportes Tecnología Salud Cultura Sociedad",
    "de": "Nachrichten Politik Wirtschaft Sport Kultur Wissen Panorama International Inland",
    "fr": "Actualités Monde Économie Politique Sport Culture Société Sciences International",
    "pt": "Notícias Mundo Economia Política Esporte Cultura Brasil Tecnologia Saúde",
    "it": "Notizie Esteri Economia Politica Sport Cultura Cronaca Tecnologia Salute",
    "ru": "Новости Мир Экономика Политика Спорт Культура Технологии Общество Наука",
    "ar": "أخبار العالم اقتصاد سياسة رياضة ثقافة تكنولوجيا صحة مجتمع",
    "zh": "新闻 国际 财经 政治 体育 文化 科技 健康 社会",
}
HOME = {"en": "Home", "es": "Inicio", "de": "Startseite", "fr": "Accueil", "pt": "Início", "it": "Home", "ru": "Главная", "ar": "الرئيسية", "zh": "首页"}

# Kinds that may sit between two body paragraphs; the rest only at the edges of an article.
MID_BODY_KINDS = ("image_credit", "ad_label", "related_links", "newsletter_widget")
FOOTER_KINDS = (
    "image_credit", "share_widget", "follow_widget", "comment_widget", "newsletter_widget", "related_links",
    "tag_list", "cookie_banner", "copyright_footer", "ad_label",
)
HEADER_KINDS = ("stray_header", "breadcrumb", "cookie_banner", "ad_label", "skip_link")


# ------------------------------------------------------------------------------------------------ labels


@dataclass(frozen=True)
class LineLabel:
    no: int  # 1-based line number in the dump, as tasks.lines numbers them
    role: str  # body | title | noise
    kind: str  # paragraph, title, headline, inline_header, or the noise kind


@dataclass(frozen=True)
class ArticleLabel:
    title: str | None
    title_line: int | None
    body_lines: tuple[int, ...]


@dataclass(frozen=True)
class LabelledDump:
    name: str  # file name, seed style: '0001_<sha16>.txt'
    lang: str
    text: str
    lines: tuple[LineLabel, ...]  # every non-blank line
    articles: tuple[ArticleLabel, ...]
    date: str | None  # ISO date of the dump's publication date line, None when the dump carries none
    date_kind: str | None  # which kind of line carries it
    publisher: str | None  # canonical registry name, None when no line names the outlet
    publisher_kind: str | None
    sources: tuple[str, ...] = ()
    traits: tuple[str, ...] = ()  # how the dump was built: multi, compact, crlf, ...

    def record(self) -> dict:
        rec = asdict(self)
        del rec["text"]
        return rec


@dataclass
class _Page:
    """Lines as they are laid out, each with its label; blank lines are added between blocks on render."""

    blocks: list[list[tuple[str, str, str]]] = field(default_factory=list)  # (text, role, kind)

    def add(self, text: str, role: str, kind: str) -> None:
        self.blocks.append([(text, role, kind)])

    def add_group(self, items: list[tuple[str, str, str]]) -> None:
        if items:
            self.blocks.append(items)


# ----------------------------------------------------------------------------------------------- builder


class _Noise:
    """The noise vocabulary of one language, drawn with the dump's own random generator."""

    def __init__(self, rng: random.Random, lang: str, headlines: tuple[str, ...]) -> None:
        self.rng, self.lang, self.headlines = rng, lang, headlines

    def pick(self, table: dict[str, list[str]], **extra: object) -> str:
        rng = self.rng
        sections = SECTIONS[self.lang].split()
        values = {
            "Y": rng.randrange(2012, 2026), "n": rng.randrange(1, 250), "name": rng.choice(PHOTOGRAPHERS[self.lang]),
            "handle": rng.choice(["newsdesk", "dailybrief", "theworldtoday", "info24"]),
            "h": rng.choice(self.headlines) if self.headlines else "", **dict(zip(("t1", "t2", "t3"), rng.sample(sections, 3), strict=True)),
        }
        values.update(extra)
        return rng.choice(table[self.lang]).format(**values)

    def lines(self, kind: str) -> list[tuple[str, str, str]]:
        """One block of noise of the given kind: one line, or a few that belong together."""
        rng, lang = self.rng, self.lang

        def one(text: str) -> list[tuple[str, str, str]]:
            return [(text, "noise", kind)]

        if kind == "stray_header":
            return [(h, "noise", kind) for h in rng.sample(STRAY_HEADERS, rng.choice([1, 1, 2]))]
        if kind == "skip_link":
            return [(h, "noise", "stray_header") for h in rng.sample(SKIP_LINKS[lang], rng.choice([1, 2]))]
        if kind == "breadcrumb":
            sep = rng.choice([" > ", " » ", " / ", " › ", " | "])
            return one(sep.join([HOME[lang], *rng.sample(SECTIONS[lang].split(), rng.choice([1, 2]))]))
        if kind == "image_credit":
            return one(self.pick(IMAGE_CREDITS))
        if kind == "share_widget":
            nets = NETWORKS.get(lang, NETWORKS["default"])
            head = [self.pick(SHARE_LINES)] if rng.random() < 0.8 else []
            return [(t, "noise", kind) for t in head + rng.sample(nets, rng.choice([0, 1, 2, 3]))] or one(rng.choice(nets))
        if kind == "follow_widget":
            return one(self.pick(FOLLOW_LINES))
        if kind == "comment_widget":
            return [(self.pick(COMMENT_LINES), "noise", kind) for _ in range(rng.choice([1, 1, 2]))]
        if kind == "newsletter_widget":
            return one(self.pick(NEWSLETTER_LINES))
        if kind == "related_links":
            if rng.random() < 0.6 or not self.headlines:
                return one(self.pick(RELATED_PREFIX))
            bullet = rng.choice(["• ", "- ", "» ", "", "→ "])
            items = [rng.choice(RELATED_HEADERS[lang])] + [bullet + rng.choice(self.headlines) for _ in range(rng.randint(2, 3))]
            return [(t, "noise", kind) for t in items]
        if kind == "ad_label":
            return one(self.pick(AD_LINES))
        if kind == "cookie_banner":
            return one(self.pick(COOKIE_LINES))
        if kind == "tag_list":
            return one(self.pick(TAG_LINES))
        if kind == "copyright_footer":
            return one(self.pick(COPYRIGHT_PLAIN))
        raise ValueError(kind)


def title_case(text: str) -> str:
    """English headline style for the headlines of multi-article pages ('Ad Sales Boost Time Warner Profit')."""
    small = {"a", "an", "the", "and", "or", "of", "in", "on", "to", "for", "at", "by", "with", "as", "vs"}
    words = text.split(" ")
    return " ".join(w if (i and w.lower() in small) or not w[:1].isalpha() else w[:1].upper() + w[1:] for i, w in enumerate(words))


@dataclass
class _Facts:
    """The dump-level facts a dump states, and on which kind of line."""

    date: dt.date | None = None
    date_kind: str | None = None
    outlet: OutletName | None = None
    publisher_kind: str | None = None


def _plan_facts(rng: random.Random, lang: str) -> _Facts:
    """Decide whether the dump states a date and names its outlet, and on which lines."""
    facts = _Facts()
    date_carrier = rng.choices(["none", "inline_header", "publication_line", "date_line"], [0.4, 0.2, 0.15, 0.25])[0]
    pub_carrier = rng.choices(["none", "source_line", "publisher_footer", "publication_line"], [0.45, 0.25, 0.2, 0.1])[0]
    if date_carrier == "publication_line" or pub_carrier == "publication_line":
        date_carrier = pub_carrier = "publication_line"  # the newspaper line and the date line come as a pair
    if date_carrier != "none":
        facts.date, facts.date_kind = random_date(rng), date_carrier
    if pub_carrier != "none":
        # Its own generator: how many names the registry lists for an outlet must not shift the rest of the dump.
        outlet_rng = random.Random(rng.random())
        facts.outlet, facts.publisher_kind = pick_outlet(outlet_rng, lang), pub_carrier
    return facts


def _title_block(rng: random.Random, lang: str, title: str, facts: _Facts) -> list[tuple[str, str, str]]:
    if facts.date_kind == "inline_header":
        form = rng.choice(INLINE_HEADER["en"] if rng.random() < 0.6 else INLINE_HEADER[lang])
        return [(form.format(iso=facts.date.isoformat() if facts.date else "", t=title), "title", "inline_header")]
    return [(title, "title", "title")]


def _meta_blocks(
    rng: random.Random, lang: str, doc: SourceDoc, titled: bool, facts: _Facts, page: _Page, title: str | None
) -> None:
    """Lines between the title and the body: duplicate title, standfirst, stubs, credits, publication lines."""
    blocks: list[list[tuple[str, str, str]]] = []
    if titled and title and rng.random() < 0.25:
        blocks.append([(title, "noise", "duplicate_title")])
    if titled and rng.random() < 0.3:
        first = sentences(doc.paragraphs[0], "zh" if lang == "zh" else "ar" if lang == "ar" else "latin")[0].rstrip(".。")
        if 5 <= word_count(first) <= 40:
            label = rng.choice(SUBTITLE_LABELS[lang]) if rng.random() < 0.7 else ""
            blocks.append([(label + first, "noise", "subtitle_line")])
    if rng.random() < 0.2:
        blocks.append([(rng.choice(DATE_STUBS[lang]), "noise", "date_stub")])
    if rng.random() < 0.2:
        blocks.append([(credit_line(rng, lang), "noise", "credit_line")])
    if facts.date_kind == "publication_line" and facts.outlet and facts.date:
        paper = rng.choice(NEWSPAPER_LINES[lang]).format(o=facts.outlet.written)
        dated = write_date(rng, lang, facts.date) + rng.choice(PAGE_SUFFIX[lang]).format(p=rng.randrange(2, 48))
        blocks.append([(paper, "noise", "publication_line"), (dated, "noise", "publication_line")])
    if facts.date_kind == "date_line" and facts.date:
        hh, mm = clock(rng)
        text = rng.choice(DATE_LABELS[lang]).format(date=write_date(rng, lang, facts.date), hh=hh, mm=mm)
        blocks.append([(text, "noise", "date_line")])
    if rng.random() < 0.1:
        blocks.append([(rng.choice(IMAGE_CREDITS[lang]).format(name=rng.choice(PHOTOGRAPHERS[lang])), "noise", "image_credit")])
    # Metadata blocks come in any order on real pages; the publication pair stays a pair.
    rng.shuffle(blocks)
    for block in blocks:
        page.add_group(block)


def _body_blocks(rng: random.Random, paragraphs: tuple[str, ...], noise: _Noise, page: _Page, mid_noise: int) -> None:
    slots = sorted(rng.sample(range(1, len(paragraphs)), min(mid_noise, len(paragraphs) - 1))) if len(paragraphs) > 1 else []
    for i, para in enumerate(paragraphs):
        if i in slots:
            page.add_group(noise.lines(rng.choice(MID_BODY_KINDS)))
        page.add(para, "body", "paragraph")


def _footer_blocks(rng: random.Random, lang: str, facts: _Facts, noise: _Noise, page: _Page) -> None:
    kinds = rng.sample(FOOTER_KINDS, rng.randint(1, 4))
    blocks = [noise.lines(k) for k in kinds]
    if facts.outlet and facts.publisher_kind == "source_line":
        blocks.insert(0, [(rng.choice(SOURCE_LINES[lang]).format(o=facts.outlet.written), "noise", "source_line")])
    if facts.outlet and facts.publisher_kind == "publisher_footer":
        form = rng.choice(COPYRIGHT_NAMED[lang])
        text = form.format(o=facts.outlet.written, O=facts.outlet.written.upper(), Y=rng.randrange(2012, 2026))
        blocks.insert(rng.randrange(len(blocks) + 1), [(text, "noise", "publisher_footer")])
    for block in blocks:
        page.add_group(block)


def _render(page: _Page, compact: bool) -> tuple[list[str], list[LineLabel]]:
    """Lay the blocks out as lines: a blank line between blocks unless the page is compact."""
    lines: list[str] = []
    labels: list[LineLabel] = []
    for block in page.blocks:
        if lines and not compact:
            lines.append("")
        for text, role, kind in block:
            lines.append(text)
            labels.append(LineLabel(len(lines), role, kind))
    return lines, labels


def build_dump(index: int, seed: int, corpora: Path = CORPORA) -> LabelledDump:
    """The index-th dump of the set: its own random generator, so it does not depend on the set's size."""
    rng = random.Random(f"{seed}:{index}")
    sources = load_sources(corpora)
    langs = list(LANG_WEIGHTS)
    lang = rng.choices(langs, [LANG_WEIGHTS[k] for k in langs])[0]
    pool = sources[lang]
    titled_pool = [d for d in pool if d.title]
    multi = lang in MULTI_LANGS and rng.random() < (0.15 if lang == "en" else 0.06)
    noise = _Noise(rng, lang, headline_pool(corpora)[lang])
    facts = _plan_facts(rng, lang)
    compact = rng.random() < 0.25
    page = _Page()
    traits = [t for t, on in (("multi", multi), ("compact", compact)) if on]

    for kind in rng.sample(HEADER_KINDS, rng.choice([0, 1, 1, 2, 3])):
        page.add_group(noise.lines(kind))

    if multi:
        docs = rng.sample(titled_pool, rng.choice([2, 2, 3]))
        heads = [title_case(d.title or "") if lang == "en" else (d.title or "") for d in docs]
        # A page whose first item lost its headline, as on blogs that repost wire items (seed 000).
        titles: list[str | None] = [None if rng.random() < 0.2 else heads[0], *heads[1:]]
    else:
        docs = [rng.choice(pool)]
        # Some titled articles lose their headline on purpose: the pipeline must then report none.
        titles = [docs[0].title if rng.random() > 0.08 else None]
    if titles[0] is None and facts.date_kind == "inline_header":
        facts.date_kind = "date_line"  # no title to carry the inline header: the date goes on a line of its own
    if titles[0]:
        page.add_group(_title_block(rng, lang, titles[0], facts))
    _meta_blocks(rng, lang, docs[0], bool(titles[0]) and not multi, facts, page, titles[0])
    for n, doc in enumerate(docs):
        if n > 0:
            page.add(titles[n] or "", "title", "headline")
        paras = doc.paragraphs[: rng.randint(2, 5)] if multi else doc.paragraphs
        _body_blocks(rng, paras, noise, page, rng.choice([0, 0, 1] if multi else [0, 0, 1, 1, 2]))
    _footer_blocks(rng, lang, facts, noise, page)

    lines, labels = _render(page, compact)
    text = "\n".join(lines) + "\n"
    # A few files come with Windows line ends or a byte-order mark; neither changes the line numbers.
    if rng.random() < 0.05:
        text, traits = text.replace("\n", "\r\n"), [*traits, "crlf"]
    if rng.random() < 0.03:
        text, traits = "\ufeff" + text, [*traits, "bom"]
    articles = _article_labels(labels, titles)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return LabelledDump(
        name=f"{index:04d}_{digest}.txt",
        lang=lang,
        text=text,
        lines=tuple(labels),
        articles=articles,
        date=facts.date.isoformat() if facts.date and facts.date_kind else None,
        date_kind=facts.date_kind if facts.date else None,
        publisher=facts.outlet.canonical if facts.outlet else None,
        publisher_kind=facts.publisher_kind if facts.outlet else None,
        sources=tuple(d.doc_id for d in docs),
        traits=tuple(traits),
    )


def _article_labels(labels: list[LineLabel], titles: list[str | None]) -> tuple[ArticleLabel, ...]:
    """Group body lines into articles: a headline line after some body opens the next article."""
    articles: list[ArticleLabel] = []
    title_line: int | None = None
    body: list[int] = []
    for lab in labels:
        if lab.role == "title":
            if body:
                articles.append(ArticleLabel(titles[len(articles)], title_line, tuple(body)))
                body = []
            title_line = lab.no
        elif lab.role == "body":
            body.append(lab.no)
    articles.append(ArticleLabel(titles[len(articles)], title_line, tuple(body)))
    # An article whose title is None has no title line, even if a headline of a later one came first.
    return tuple(a if a.title else ArticleLabel(None, None, a.body_lines) for a in articles)


def generate(n: int, seed: int = 7, corpora: Path = CORPORA) -> list[LabelledDump]:
    return [build_dump(i, seed, corpora) for i in range(n)]


def write_dumps(dumps: list[LabelledDump], folder: Path) -> Path:
    """Write each dump as a .txt file and all labels as labels.jsonl; never inside the repository."""
    folder = folder.resolve()
    if folder == ROOT or ROOT in folder.parents:
        raise SystemExit(f"refusing to write corpus text inside the repository: {folder}")
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "labels.jsonl", "w", encoding="utf-8") as fh:
        for d in dumps:
            (folder / d.name).write_text(d.text, "utf-8")
            fh.write(json.dumps(d.record(), ensure_ascii=False) + "\n")
    return folder / "labels.jsonl"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the dumps and labels.jsonl (outside the repository)")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if not CORPORA.is_dir():
        print(f"corpora not found: {CORPORA}", file=sys.stderr)
        return 2
    labels = write_dumps(generate(args.n, args.seed), args.out)
    print(f"{args.n} dumps and {labels}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
