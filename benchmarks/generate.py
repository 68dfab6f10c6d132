"""Write N synthetic raw news dumps, as scrapers leave them, for the throughput and memory benchmarks.

    .venv/bin/python benchmarks/generate.py OUT --n 20000 --seed 0

Text comes from Faker's per-locale word lists (real words, no real articles) put into this module's own
templates; nothing is read from outside the repository. What it imitates, because it is what costs time:
- sizes from 0.5 to 20 KB, log-normal around 3 KB (most pages are short, a few are long);
- eleven languages in Latin, Cyrillic, Arabic and Han script, one per site folder, a few dumps in another;
- scraper noise: share widgets, 'Advertisement', cookie banners, newsletter and read-more prompts, copyright
  footers naming the site's outlet, unfilled date stubs, repeated titles, bylines with a wire agency;
- multi-article pages (about one in ten), wire stories repeated word for word across sites (about one in
  twenty: the content-hash cache has something to find), some gzip, cp1252, BOM and CRLF files;
- nested folders of a few hundred files, each folder one site (its furniture repeats across its dumps).

Deterministic by seed: each dump draws from its own `random.Random(f"{seed}:{i}")`, so a dump never depends on
how many came before it, and files are written one at a time (memory stays flat in N).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import math
import os
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

FILES_PER_FOLDER = 300
FOLDERS_PER_GROUP = 100
POOL_SENTENCES = 1500  # per language: enough variety that no two dumps share a paragraph by chance
POOL_NAMES = 200
# Text budget of a dump; its furniture adds up to ~700 bytes, so files end between 0.5 and 20 KB.
MIN_BYTES, MAX_BYTES, MEDIAN_BYTES, SIGMA = 400, 19_000, 3_000, 0.75
WIRE_SHARE = 0.05  # dumps whose article is a wire story also printed elsewhere, word for word
MULTI_SHARE = 0.10  # pages that carry several articles
FOREIGN_SHARE = 0.08  # dumps in another language than their site's
GZIP_SHARE = 0.05
EPOCH = 1_704_067_200  # 2024-01-01: mtimes are fixed so a corpus is the same bytes and stats on every machine

# language -> (Faker locale, share of sites)
LANGUAGES = {
    "en": ("en_US", 30), "es": ("es_ES", 12), "fr": ("fr_FR", 10), "de": ("de_DE", 10), "pt": ("pt_BR", 7),
    "it": ("it_IT", 7), "ru": ("ru_RU", 7), "ar": ("ar_AA", 6), "zh": ("zh_CN", 6), "nl": ("nl_NL", 3),
    "pl": ("pl_PL", 2),
}  # fmt: skip
LATIN = frozenset({"en", "es", "fr", "de", "pt", "it", "nl"})  # cp1252 can hold these

# Faker has no Portuguese word list (pt_BR falls back to Latin): these common words stand in for it.
PT_WORDS = (
    "governo cidade ano presidente país disse segundo também ainda sobre entre depois quando pessoas milhões "
    "estado ministro projeto empresa mercado trabalho saúde escola polícia dia semana mês obras água energia "
    "preço salário economia federal municipal prefeitura eleição votação congresso senado câmara justiça "
    "tribunal decisão acordo reunião proposta lei regras novo nova grande maior menor primeiro último outro "
    "região norte sul leste oeste capital moradores famílias crianças professores médicos hospital estrada "
    "chuva seca calor frio porto aeroporto transporte ônibus trem viagem turismo cultura música festa futebol "
    "clube jogo time campeonato vitória derrota resultado dados pesquisa estudo relatório aumento queda alta "
    "baixa taxa juros banco crédito dívida imposto orçamento recursos investimento produção indústria comércio "
    "agricultura safra exportação importação dólar real bolsa ações emprego desemprego renda pobreza moradia "
    "segurança crime investigação prisão processo advogado defesa ataque guerra paz fronteira vizinhos "
    "afirmou explicou anunciou informou declarou destacou lembrou garantiu pediu prometeu criticou defendeu "
    "deve pode vai foram estão tinha teria seria muito mais menos bem mal já só nunca sempre hoje ontem amanhã"
).split()

# Outlets a site may belong to, by language (they name the site in its footer and on some pages).
OUTLETS = {
    "en": ("The Guardian", "Reuters", "BBC News", "The New York Times", "Gulf News", "CBC", "The Age", "NPR"),
    "es": ("El País", "Clarín", "Infobae", "La Nación", "El Mundo", "ABC"),
    "fr": ("Le Monde", "Le Figaro", "Libération", "Le Soir", "RFI"),
    "de": ("Der Spiegel", "Die Zeit", "Der Standard", "Süddeutsche Zeitung", "Die Presse"),
    "pt": ("Folha de S.Paulo", "O Globo", "Estadão", "UOL", "Público"),
    "it": ("la Repubblica", "Corriere della Sera", "La Stampa", "Il Sole 24 Ore"),
    "ru": ("Коммерсантъ", "Ведомости", "РБК", "Известия"),
    "ar": ("Al Jazeera", "Al Bayan", "Al Ittihad", "Sky News Arabia"),
    "zh": ("新华网", "人民网", "澎湃新闻", "财新网"),
    "nl": ("NOS", "de Volkskrant", "NRC", "De Standaard"),
    "pl": ("Gazeta Wyborcza", "Rzeczpospolita", "TVN24"),
}
AGENCIES = ("Reuters", "AFP", "AP", "dpa", "EFE", "ANSA", "TASS", "Xinhua")


@dataclass(frozen=True)
class Furniture:
    """One language's page furniture: the lines a scraper keeps around an article."""

    share: str
    ad: str
    cookie: str
    newsletter: str
    read_more: str
    copyright: str  # {year}, {outlet}
    byline: str  # {name}, {agency}
    date_stub: str
    months: tuple[str, ...]
    date: str  # {d}, {m} (month name or number), {y}


FURNITURE = {
    "en": Furniture(
        "Share this article: Facebook | Twitter | WhatsApp | Email", "Advertisement",
        "We use cookies to improve your experience. By continuing you accept our cookie policy.",
        "Sign up for our newsletter", "Read more:", "© {year} {outlet}. All rights reserved.", "By {name}, {agency}",
        "Date: [Current Date]",
        ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
         "November", "December"), "{m} {d}, {y}",
    ),
    "es": Furniture(
        "Compartir en Facebook | Twitter | WhatsApp", "Publicidad",
        "Utilizamos cookies para mejorar su experiencia. Aceptar", "Suscríbete a nuestro boletín", "Lea también:",
        "© {year} {outlet}. Todos los derechos reservados.", "Por {name}, {agency}", "Fecha: [Fecha actual]",
        ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
         "noviembre", "diciembre"), "{d} de {m} de {y}",
    ),
    "fr": Furniture(
        "Partager sur Facebook | Twitter | WhatsApp", "Publicité",
        "Nous utilisons des cookies pour améliorer votre expérience. Accepter", "Inscrivez-vous à notre newsletter",
        "Lire aussi :", "© {year} {outlet}. Tous droits réservés.", "Par {name}, {agency}", "Date : [Date du jour]",
        ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
         "novembre", "décembre"), "{d} {m} {y}",
    ),
    "de": Furniture(
        "Teilen auf Facebook | Twitter | WhatsApp", "Anzeige",
        "Wir verwenden Cookies, um Ihr Erlebnis zu verbessern. Akzeptieren", "Jetzt Newsletter abonnieren",
        "Lesen Sie auch:", "© {year} {outlet}. Alle Rechte vorbehalten.", "Von {name}, {agency}",
        "Datum: [Aktuelles Datum]",
        ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
         "November", "Dezember"), "{d}. {m} {y}",
    ),
    "pt": Furniture(
        "Compartilhe no Facebook | Twitter | WhatsApp", "Publicidade",
        "Usamos cookies para melhorar sua experiência. Aceitar", "Assine nossa newsletter", "Leia também:",
        "© {year} {outlet}. Todos os direitos reservados.", "Por {name}, {agency}", "Data: [Data atual]",
        ("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
         "novembro", "dezembro"), "{d} de {m} de {y}",
    ),
    "it": Furniture(
        "Condividi su Facebook | Twitter | WhatsApp", "Pubblicità",
        "Utilizziamo i cookie per migliorare la tua esperienza. Accetta", "Iscriviti alla nostra newsletter",
        "Leggi anche:", "© {year} {outlet}. Tutti i diritti riservati.", "Di {name}, {agency}", "Data: [Data odierna]",
        ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
         "novembre", "dicembre"), "{d} {m} {y}",
    ),
    "ru": Furniture(
        "Поделиться: ВКонтакте | Telegram | WhatsApp", "Реклама",
        "Мы используем файлы cookie, чтобы улучшить работу сайта. Принять", "Подпишитесь на нашу рассылку",
        "Читайте также:", "© {year} {outlet}. Все права защищены.", "{name}, {agency}", "Дата: [Текущая дата]",
        ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
         "ноября", "декабря"), "{d} {m} {y}",
    ),
    "ar": Furniture(
        "شارك على فيسبوك | تويتر | واتساب", "إعلان", "نستخدم ملفات تعريف الارتباط لتحسين تجربتك. موافق",
        "اشترك في نشرتنا الإخبارية", "اقرأ أيضا:", "© {year} {outlet}. جميع الحقوق محفوظة.", "بقلم {name}، {agency}",
        "التاريخ: [التاريخ الحالي]", tuple(str(m) for m in range(1, 13)), "{d}/{m}/{y}",
    ),
    "zh": Furniture(
        "分享到：微信 | 微博 | QQ空间", "广告", "我们使用Cookie来改善您的体验。接受", "订阅我们的新闻简报", "相关阅读：",
        "© {year} {outlet} 版权所有", "记者 {name}（{agency}）", "日期：[当前日期]",
        tuple(str(m) for m in range(1, 13)), "{y}年{m}月{d}日",
    ),
    "nl": Furniture(
        "Delen via Facebook | Twitter | WhatsApp", "Advertentie",
        "Wij gebruiken cookies om uw ervaring te verbeteren. Accepteren", "Schrijf je in voor onze nieuwsbrief",
        "Lees ook:", "© {year} {outlet}. Alle rechten voorbehouden.", "Door {name}, {agency}", "Datum: [Huidige datum]",
        ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
         "november", "december"), "{d} {m} {y}",
    ),
    "pl": Furniture(
        "Udostępnij: Facebook | Twitter | WhatsApp", "Reklama",
        "Używamy plików cookie, aby poprawić Twoje wrażenia. Akceptuję", "Zapisz się do naszego newslettera",
        "Czytaj także:", "© {year} {outlet}. Wszelkie prawa zastrzeżone.", "{name}, {agency}", "Data: [Bieżąca data]",
        ("stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września",
         "października", "listopada", "grudnia"), "{d} {m} {y}",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Pools:
    """Per-language sentences and person names, drawn once from Faker with the corpus seed."""

    sentences: dict[str, tuple[str, ...]]
    names: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Site:
    language: str
    outlet: str
    slug: str


@dataclass(frozen=True)
class Summary:
    files: int
    bytes: int
    gzipped: int
    seconds: float


def build_pools(seed: int) -> Pools:
    """Faker sentences per language. Chinese gets its own full stop; Portuguese gets PT_WORDS."""
    from faker import Faker

    sentences, names = {}, {}
    for code, (locale, _) in LANGUAGES.items():
        fake = Faker(locale)
        fake.seed_instance(f"{seed}:{code}")
        words = list(PT_WORDS) if code == "pt" else None
        pool = []
        for _ in range(POOL_SENTENCES):
            s = fake.sentence(nb_words=14, ext_word_list=words)
            pool.append(s.rstrip(".") + "。" if code == "zh" else s)
        sentences[code] = tuple(pool)
        names[code] = tuple(fake.name() for _ in range(POOL_NAMES))
    return Pools(sentences, names)


@functools.lru_cache(maxsize=64)
def site_for(folder: int, seed: int) -> Site:
    """Every folder is one site: one language, one outlet, the same furniture on every page."""
    rng = random.Random(f"{seed}:folder:{folder}")
    codes = list(LANGUAGES)
    language = rng.choices(codes, weights=[LANGUAGES[c][1] for c in codes])[0]
    outlet = rng.choice(OUTLETS[language])
    slug = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in outlet.lower()).strip("-") or language
    return Site(language, outlet, f"{folder:06d}-{language}-{slug}")


def target_size(rng: random.Random) -> int:
    """Log-normal around MEDIAN_BYTES, clipped to MIN_BYTES..MAX_BYTES."""
    return int(min(MAX_BYTES, max(MIN_BYTES, math.exp(rng.gauss(math.log(MEDIAN_BYTES), SIGMA)))))


def paragraphs(rng: random.Random, sentences: tuple[str, ...], budget: int, language: str) -> list[str]:
    """Paragraphs of 2-6 sentences until about `budget` bytes of text."""
    joiner = "" if language == "zh" else " "
    out, size = [], 0
    while size < budget or not out:
        p = joiner.join(rng.choices(sentences, k=rng.randint(2, 6)))
        out.append(p)
        size += len(p.encode("utf-8")) + 2
    return out


def headline(rng: random.Random, sentences: tuple[str, ...], language: str) -> str:
    """A 9-12 word headline: long enough that the cleaner reads it as the start of an article."""
    if language == "zh":
        return rng.choice(sentences).rstrip("。")[:24]
    words = rng.choice(sentences).rstrip(".").split()
    while len(words) < 12:
        words += rng.choice(sentences).rstrip(".").split()
    words = words[: rng.randint(9, 12)]
    return " ".join(w.capitalize() for w in words) if language == "en" else " ".join(words)


def wire_story(k: int, seed: int, pools: Pools) -> tuple[str, str, list[str]]:
    """The k-th wire story: (language, headline, paragraphs), the same wherever it is printed."""
    rng = random.Random(f"{seed}:wire:{k}")
    language = rng.choice(("en", "en", "es", "fr", "de", "pt", "ru", "ar"))
    sentences = pools.sentences[language]
    return language, headline(rng, sentences, language), paragraphs(rng, sentences, target_size(rng), language)


def date_line(rng: random.Random, f: Furniture) -> str:
    return f.date.format(d=rng.randint(1, 28), m=rng.choice(f.months), y=rng.randint(2019, 2025))


def dump_lines(i: int, n: int, seed: int, pools: Pools, site: Site) -> tuple[str, list[str]]:
    """The i-th dump's language and lines, furniture and all."""
    rng = random.Random(f"{seed}:{i}")
    language = site.language
    if rng.random() < FOREIGN_SHARE:
        language = rng.choice([c for c in LANGUAGES if c != site.language])
    stories = []
    if rng.random() < WIRE_SHARE:
        language, title, body = wire_story(rng.randrange(max(1, n // 40)), seed, pools)
        stories.append((title, body))
    sentences = pools.sentences[language]
    budget = target_size(rng)
    count = rng.choice((2, 2, 3)) if rng.random() < MULTI_SHARE else 1
    while len(stories) < count:
        stories.append((headline(rng, sentences, language), paragraphs(rng, sentences, budget // count, language)))
    f, sf = FURNITURE[language], FURNITURE[site.language]
    lines: list[str] = []
    if rng.random() < 0.10:
        lines.append(f.date_stub)
    if rng.random() < 0.25:
        lines.append(sf.share)
    for n_story, (title, body) in enumerate(stories):
        lines.append(title)
        if n_story == 0 and rng.random() < 0.30:
            lines.append(title)  # the scraper kept the page title and the headline
        if rng.random() < 0.40:
            lines.append(f.byline.format(name=rng.choice(pools.names[language]), agency=rng.choice(AGENCIES)))
        if rng.random() < 0.50:
            lines.append(date_line(rng, f))
        for j, p in enumerate(body):
            lines.append(p)
            if j == 1 and rng.random() < 0.30:
                lines.append(sf.ad)
        if rng.random() < 0.20:
            lines.append(f"{sf.read_more} {headline(rng, pools.sentences[site.language], site.language)}")
    for share, line in ((0.25, sf.share), (0.25, sf.cookie), (0.20, sf.newsletter)):
        if rng.random() < share:
            lines.append(line)
    if rng.random() < 0.60:
        lines.append(sf.copyright.format(year=rng.randint(2019, 2025), outlet=site.outlet))
    return language, lines


def encode(rng: random.Random, language: str, text: str) -> bytes:
    """Mostly UTF-8; some CRLF, BOM and (Latin languages) cp1252 files, as scrapes on disk are."""
    r = rng.random()
    if r < 0.03:
        text = text.replace("\n", "\r\n")
    elif r < 0.05:
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    elif r < 0.08 and language in LATIN:
        try:
            return text.encode("cp1252")
        except UnicodeEncodeError:
            pass
    return text.encode("utf-8")


def dump_file(i: int, n: int, seed: int, pools: Pools) -> tuple[str, bytes]:
    """(relative path, bytes) of the i-th dump."""
    folder = i // FILES_PER_FOLDER
    site = site_for(folder, seed)
    language, lines = dump_lines(i, n, seed, pools, site)
    rng = random.Random(f"{seed}:{i}:file")
    data = encode(rng, language, "\n\n".join(lines) + "\n")
    rel = f"g{folder // FOLDERS_PER_GROUP:04d}/{site.slug}/{i:07d}.txt"
    if rng.random() < GZIP_SHARE:
        return rel + ".gz", gzip.compress(data, mtime=0)
    return rel, data


def generate(out: Path | str, n: int, seed: int = 0, progress: bool = False) -> Summary:
    """Write dumps 0..n-1 under `out`, one at a time."""
    out = Path(out)
    started = time.perf_counter()
    pools = build_pools(seed)
    total = gzipped = 0
    made: set[Path] = set()  # folders only: a few thousand at a million dumps
    for i in range(n):
        rel, data = dump_file(i, n, seed, pools)
        path = out / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_bytes(data)
        os.utime(path, (EPOCH + i, EPOCH + i))
        total += len(data)
        gzipped += rel.endswith(".gz")
        if progress and (i + 1) % 10_000 == 0:
            print(f"  {i + 1:,} dumps written ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return Summary(n, total, gzipped, time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the dumps into")
    parser.add_argument("--n", type=int, default=20_000, help="number of dumps (default 20,000)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    s = generate(args.out, args.n, args.seed, progress=True)
    print(
        f"{s.files:,} dumps, {s.bytes / 1e6:.1f} MB ({s.gzipped:,} gzipped) in {args.out} "
        f"in {s.seconds:.1f} s ({s.files / s.seconds:,.0f} dumps/s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
