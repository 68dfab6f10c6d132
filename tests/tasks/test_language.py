"""tasks/language.py: script rules for CJK, seeded langdetect for the rest, 'und' for too little text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.language import MAX_CHARS, MIN_LETTERS, UNDETERMINED, Detection, detect

PARAGRAPHS = {
    "en": (
        "The city council met on Tuesday evening to discuss the new budget for public transport. Several residents "
        "complained that buses in the northern districts are often late and overcrowded, while the mayor promised "
        "that more drivers would be hired before the end of the year and that ticket prices would not rise."
    ),
    "es": (
        "El ayuntamiento se reunió el martes por la noche para debatir el nuevo presupuesto del transporte público. "
        "Varios vecinos se quejaron de que los autobuses de los barrios del norte llegan tarde y van llenos, mientras "
        "que el alcalde prometió contratar a más conductores antes de que termine el año."
    ),
    "fr": (
        "Le conseil municipal s'est réuni mardi soir pour discuter du nouveau budget des transports publics. "
        "Plusieurs habitants se sont plaints que les bus des quartiers du nord arrivent souvent en retard et sont "
        "bondés, tandis que le maire a promis d'embaucher davantage de chauffeurs avant la fin de l'année."
    ),
    "de": (
        "Der Stadtrat kam am Dienstagabend zusammen, um über den neuen Haushalt für den öffentlichen Nahverkehr zu "
        "beraten. Mehrere Anwohner beklagten, dass die Busse in den nördlichen Vierteln oft verspätet und überfüllt "
        "sind, während der Bürgermeister versprach, noch vor Jahresende mehr Fahrer einzustellen."
    ),
    "pt": (
        "A câmara municipal reuniu-se na terça-feira à noite para discutir o novo orçamento dos transportes "
        "públicos. Vários moradores queixaram-se de que os ônibus dos bairros do norte chegam sempre atrasados e "
        "lotados, enquanto o prefeito prometeu contratar mais motoristas antes do fim do ano e não aumentar as tarifas."
    ),
    "it": (
        "Il consiglio comunale si è riunito martedì sera per discutere il nuovo bilancio dei trasporti pubblici. "
        "Diversi residenti si sono lamentati del fatto che gli autobus nei quartieri settentrionali arrivano spesso "
        "in ritardo e sono sovraffollati, mentre il sindaco ha promesso di assumere altri autisti entro la fine dell'anno."
    ),
    "ru": (
        "Городской совет собрался во вторник вечером, чтобы обсудить новый бюджет общественного транспорта. "
        "Несколько жителей пожаловались, что автобусы в северных районах часто опаздывают и бывают переполнены, "
        "а мэр пообещал нанять больше водителей до конца года и не повышать цены на билеты."
    ),
}

CJK = {
    "zh": (
        "市议会周二晚上开会讨论公共交通的新预算。几位居民抱怨北部地区的公交车经常晚点而且非常拥挤，"
        "市长承诺在年底之前招聘更多司机，并表示车票价格不会上涨。会议持续了三个小时，许多市民在会场外等待结果。"
    ),
    "ja": (
        "市議会は火曜日の夜に会合を開き、公共交通機関の新しい予算について話し合った。北部地区の住民からは、"
        "バスがよく遅れて混雑しているという苦情が出され、市長は年末までに運転手を増やすと約束した。"
    ),
    "ko": (
        "시의회는 화요일 저녁에 모여 대중교통의 새 예산을 논의했다. 여러 주민들은 북부 지역의 버스가 자주 "
        "늦고 붐빈다고 불평했으며, 시장은 연말까지 운전기사를 더 채용하겠다고 약속했다."
    ),
}


@pytest.mark.parametrize("lang", sorted(PARAGRAPHS))
def test_paragraphs_are_detected_by_langdetect(lang: str) -> None:
    text = PARAGRAPHS[lang]
    assert 250 <= len(text) <= 350
    result = detect(text)
    assert result.language == lang
    assert result.detector == "langdetect"
    assert 0.5 < result.score <= 1.0


@pytest.mark.parametrize("lang", sorted(CJK))
def test_cjk_is_decided_by_the_script_rule(lang: str) -> None:
    result = detect(CJK[lang])
    assert result.language == lang
    assert result.detector == "script_rule"
    assert 0.3 < result.score <= 1.0


def test_chinese_with_latin_tokens_stays_chinese() -> None:
    text = "国家主席周三在北京会见了来访的 WHO 总干事，双方就 COVID-19 疫情和 AI 治理等问题深入交换了意见。"
    result = detect(text)
    assert (result.language, result.detector) == ("zh", "script_rule")


def test_japanese_wins_over_chinese_when_kana_is_present() -> None:
    # Mostly kanji, but the kana make it Japanese.
    text = "東京都知事選挙で現職が三選を果たし、投票率は前回選挙を上回った。"
    result = detect(text)
    assert (result.language, result.detector) == ("ja", "script_rule")


@pytest.mark.parametrize("text", ["", "Hello there.", "12345 !!! 67890 ??? 2024-03-02", "Oui, merci."])
def test_short_text_is_undetermined(text: str) -> None:
    assert detect(text) == Detection(UNDETERMINED, 0.0, "too_short")


def test_min_letters_threshold() -> None:
    assert detect("a" * (MIN_LETTERS - 1) + " 123").detector == "too_short"
    assert detect("b" * MIN_LETTERS).detector != "too_short"


@pytest.mark.parametrize("lang", sorted(PARAGRAPHS) + sorted(CJK))
def test_detection_is_deterministic(lang: str) -> None:
    text = {**PARAGRAPHS, **CJK}[lang]
    assert detect(text) == detect(text)


def test_short_ambiguous_text_is_deterministic() -> None:
    text = "Der Rat tagte am Abend lange"
    first = detect(text)
    assert all(detect(text) == first for _ in range(5))


def test_only_the_first_max_chars_are_read() -> None:
    english = (PARAGRAPHS["en"] + " ") * (MAX_CHARS // len(PARAGRAPHS["en"]) + 1)
    assert len(english) > MAX_CHARS
    mixed = english + PARAGRAPHS["es"] * 10
    assert detect(mixed).language == "en"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("یک خبر مهم درباره اقتصاد کشور امروز منتشر شد و گفتگو درباره آن ادامه دارد", "fa"),
        ("حکومت نے آج ایک نئے منصوبے کا اعلان کیا جس سے ملک کی معیشت کو مدد ملے گی", "ur"),
        ("Київ оголосив нові заходи підтримки для підприємств у четвер, повідомили урядовці.", "uk"),
    ],
)
def test_script_letters_tell_neighbour_languages_apart(text: str, code: str) -> None:
    result = detect(text)
    assert (result.language, result.detector) == (code, "script_rule")


def test_py3langid_is_a_selectable_second_opinion() -> None:
    text = "The council approved the new budget on Monday after a long debate in the town hall."
    result = detect(text, detector="py3langid")
    assert (result.language, result.detector) == ("en", "py3langid")
    assert detect("", detector="py3langid").language == "und"  # py3langid alone answers 'af' to nothing


def test_language_mix_needs_a_real_second_language() -> None:
    from tasks.language import language_mix

    en = "The council approved the new budget on Monday after a debate that lasted more than six hours in the hall. " * 4
    es = "El consejo aprobó el nuevo presupuesto el lunes tras un debate que duró más de seis horas en el ayuntamiento. " * 4
    mixed = language_mix([en, en, en, es, es])
    assert mixed.second_language == "es" and dict(mixed.shares)["en"] == pytest.approx(0.6, abs=0.05)
    quote = language_mix([en, en, en, "« Nous ne céderons pas », a-t-il dit."])
    assert quote.second_language is None
    one_paragraph = language_mix([en, es])
    assert one_paragraph.second_language is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Հայաստանի կառավարությունը հայտարարել է նոր ծրագրի մասին այսօր", "hy"),
        ("საქართველოს მთავრობამ დღეს ახალი გეგმა გამოაცხადა", "ka"),
    ],
)
def test_scripts_langdetect_has_no_profile_for(text: str, code: str) -> None:
    assert detect(text).language == code


def test_indic_vowel_signs_count_as_letters() -> None:
    # 'भारत सरकार ने आज नई योजना की घोषणा': short, but not too short to judge once vowel signs count.
    assert detect("भारत सरकार ने आज नई योजना की घोषणा").language == "hi"


_MIXED = st.text(alphabet=st.sampled_from(list("aZ_9 .é½²ßАїўђѓпچگٹ۱ےێあア漢한ԱაकืΑ\u0301\u0900\u0e01")), max_size=300)


@settings(max_examples=300, deadline=None)
@given(_MIXED)
def test_letters_and_scripts_are_counted_as_findall_counts_them(text: str) -> None:
    """The counting shortcuts (ASCII bytes, runs) count what one findall per character class counts."""
    from tasks.language import _ARABIC_SCRIPT, _CYRILLIC, _HAN, _KANA, _LETTER, _RUNS, _count, _letters

    assert _letters(text) == len(_LETTER.findall(text))
    assert _letters(text.encode("ascii", "ignore").decode()) == len(_LETTER.findall(text.encode("ascii", "ignore").decode()))
    for script in (_HAN, _KANA, _ARABIC_SCRIPT, _CYRILLIC, *_RUNS):
        assert _count(script, text) == len(script.findall(text))
