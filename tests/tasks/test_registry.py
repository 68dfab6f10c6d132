"""tasks/data/outlets.toml and agencies.toml: every entry well formed, the registry's size, lookups by native name."""

from __future__ import annotations

import tomllib
from collections import defaultdict

import pytest

from tasks.registry import DATA_DIR, alias_key, registry

# ISO 3166-1 alpha-2: the 249 officially assigned codes.
COUNTRIES = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
    BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE
    EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM
    HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC
    LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA
    NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
    SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO
    TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
    """.split()
)

# ISO 639-1: the two-letter language codes.
LANGUAGES = frozenset(
    """
    aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da
    de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz
    ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln
    lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi
    pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti
    tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
    """.split()
)

OUTLETS = tomllib.loads((DATA_DIR / "outlets.toml").read_text("utf-8"))["outlet"]
AGENCIES = tomllib.loads((DATA_DIR / "agencies.toml").read_text("utf-8"))["agency"]


def _outlet_names(raw: dict) -> list[str]:
    return [raw["name"], *raw.get("aliases", [])]


def _agency_names(raw: dict) -> list[str]:
    return [raw["name"], raw.get("full_name", raw["name"]), *raw.get("aliases", [])]


def _entry_id(raw: dict) -> str:
    return f"{raw['country']}-{raw['name']}"


@pytest.mark.parametrize("raw", OUTLETS, ids=_entry_id)
def test_outlet_is_well_formed(raw: dict) -> None:
    assert raw["name"].strip()
    assert raw["country"] in COUNTRIES
    assert raw["language"] in LANGUAGES
    languages = raw["languages"]
    assert languages and languages[0] == raw["language"], "the primary language comes first"
    assert all(lang in LANGUAGES for lang in languages)
    assert len(set(languages)) == len(languages)
    assert all(isinstance(a, str) and len(a.strip()) >= 2 for a in raw.get("aliases", []))


@pytest.mark.parametrize("raw", AGENCIES, ids=_entry_id)
def test_agency_is_well_formed(raw: dict) -> None:
    assert raw["name"].strip()
    assert raw["full_name"].strip()
    assert raw["country"] in COUNTRIES
    assert raw["language"] in LANGUAGES
    assert all(isinstance(a, str) and len(a.strip()) >= 2 for a in raw.get("aliases", []))


@pytest.mark.parametrize(
    ("entries", "names"), [(OUTLETS, _outlet_names), (AGENCIES, _agency_names)], ids=["outlets", "agencies"]
)
def test_no_alias_answers_to_two_entries(entries: list[dict], names) -> None:
    # An entry may spell one name several ways ('REUTERS', 'Reuters'); two entries may never share one.
    owners: dict[str, set[str]] = defaultdict(set)
    for raw in entries:
        for name in names(raw):
            owners[alias_key(name)].add(raw["name"])
    shared = {key: sorted(who) for key, who in owners.items() if len(who) > 1}
    assert not shared


@pytest.mark.parametrize(("entries", "key"), [(OUTLETS, "outlet"), (AGENCIES, "agency")])
def test_names_are_unique(entries: list[dict], key: str) -> None:
    names = [raw["name"] for raw in entries]
    assert len(names) == len(set(names)), key


def test_registry_size() -> None:
    assert len(OUTLETS) >= 300
    assert len({raw["country"] for raw in OUTLETS}) >= 60
    assert len(AGENCIES) >= 40
    reg = registry()
    assert len({o.name for o in reg.outlets.values()}) == len(OUTLETS)
    assert len({a.name for a in reg.agencies.values()}) == len(AGENCIES)


@pytest.mark.parametrize(
    ("alias", "name", "country", "language"),
    [
        ("Российская газета", "Rossiyskaya Gazeta", "RU", "ru"),
        ("الأهرام", "Al-Ahram", "EG", "ar"),
        ("人民日报", "People's Daily", "CN", "zh"),
        ("朝日新聞", "Asahi Shimbun", "JP", "ja"),
        ("Η Καθημερινή", "Kathimerini", "GR", "el"),
        ("ΕΡΤ", "ERT", "GR", "el"),
        ("Новая газета", "Novaya Gazeta", "RU", "ru"),
        ("Наша Ніва", "Nasha Niva", "BY", "be"),
        ("Радио-телевизија Србије", "Radio Television of Serbia", "RS", "sr"),
        ("Егемен Қазақстан", "Egemen Qazaqstan", "KZ", "kk"),
        ("რუსთავი 2", "Rustavi 2", "GE", "ka"),
        ("هسبريس", "Hespress", "MA", "ar"),
        ("عنب بلدي", "Enab Baladi", "SY", "ar"),
        ("روزنامہ جنگ", "Daily Jang", "PK", "ur"),
        ("প্রথম আলো", "Prothom Alo", "BD", "bn"),
        ("ไทยรัฐ", "Thairath", "TH", "th"),
        ("Đài Truyền hình Việt Nam", "Vietnam Television", "VN", "vi"),
        ("联合早报", "Lianhe Zaobao", "SG", "zh"),
        ("毎日新聞", "Mainichi Shimbun", "JP", "ja"),
        ("중앙일보", "JoongAng Ilbo", "KR", "ko"),
        ("दैनिक जागरण", "Dainik Jagran", "IN", "hi"),
        ("澎湃新闻", "The Paper (China)", "CN", "zh"),
    ],
)
def test_outlet_by_native_name(alias: str, name: str, country: str, language: str) -> None:
    outlet = registry().outlet(alias)
    assert outlet is not None
    assert (outlet.name, outlet.country, outlet.language) == (name, country, language)


@pytest.mark.parametrize(
    ("alias", "name", "country"),
    [
        ("新华社", "Xinhua", "CN"),
        ("Българска телеграфна агенция", "BTA", "BG"),
        ("БелТА", "BelTA", "BY"),
        ("Արմենպրես", "Armenpress", "AM"),
        ("УНІАН", "UNIAN", "UA"),
        ("خبرگزاری تسنیم", "Tasnim", "IR"),
        ("中新社", "China News Service", "CN"),
        ("뉴시스", "Newsis", "KR"),
    ],
)
def test_agency_by_native_name(alias: str, name: str, country: str) -> None:
    agency = registry().agency(alias)
    assert agency is not None
    assert (agency.name, agency.country) == (name, country)


@pytest.mark.parametrize(
    ("alias", "name", "country", "language", "languages"),
    [
        ("ALJAZEERA", "Al Jazeera", "QA", "en", ("en", "ar")),
        ("Al Jazeera Media Network", "Al Jazeera", "QA", "en", ("en", "ar")),
        ("LA JORNADA", "La Jornada", "MX", "es", ("es",)),
        ("Sputnik", "Sputnik", "RU", "ru", None),
        ("DW", "Deutsche Welle", "DE", "de", None),
        ("EL PAÍS", "El País", "ES", "es", ("es", "en")),
        ("Folha de S.Paulo", "Folha de S.Paulo", "BR", "pt", ("pt",)),
        ("Le Monde", "Le Monde", "FR", "fr", ("fr", "en")),
        ("新华社", "Xinhua", "CN", "zh", None),
    ],
)
def test_outlets_the_pipeline_relies_on(
    alias: str, name: str, country: str, language: str, languages: tuple[str, ...] | None
) -> None:
    outlet = registry().outlet(alias)
    assert outlet is not None
    assert (outlet.name, outlet.country, outlet.language) == (name, country, language)
    if languages is not None:
        assert outlet.languages == languages


def test_same_name_in_two_countries_is_told_apart() -> None:
    reg = registry()
    assert reg.outlet("El País").country == "ES"
    assert reg.outlet("elpais.com.uy").country == "UY"
    assert reg.outlet("elcomercio.pe").country == "PE"
    assert reg.outlet("elcomercio.com").country == "EC"


def test_ordinary_words_are_no_alias() -> None:
    reg = registry()
    for word in ("Times", "Nation", "Post", "Mail", "Star", "Bild", "Index", "Tempo", "Kompas", "Politico", "News"):
        assert reg.outlet(word) is None, word
    for word in ("Map", "Tap", "Petra"):
        assert reg.agency(word) is None, word


def test_a_users_registry_file_adds_and_overrides(tmp_path, monkeypatch) -> None:
    from tasks import registry as reg_module

    extra = tmp_path / "mine.toml"
    extra.write_text(
        '[[outlet]]\nname = "Valley Courier"\naliases = ["valleycourier.example"]\ncountry = "NZ"\nlanguage = "en"\n'
        '[[outlet]]\nname = "La Jornada"\naliases = []\ncountry = "MX"\nlanguage = "en"\n',
        "utf-8",
    )
    monkeypatch.setenv(reg_module.USER_REGISTRY_ENV, str(extra))
    reg_module.registry.cache_clear()
    try:
        reg = reg_module.registry()
        assert reg.outlet("valleycourier.example").name == "Valley Courier"
        assert reg.outlet("La Jornada").language == "en"  # the user's entry wins
    finally:
        monkeypatch.delenv(reg_module.USER_REGISTRY_ENV)
        reg_module.registry.cache_clear()
