"""The analysis pipeline: normalisation, segmentation with the catalog's words, synonyms,
question words, pinyin, homophone correction, and what hostile input gets."""

import pytest

from guides import factories
from search.analysis import (
    MAX_QUERY_CHARS,
    analyze_query,
    index_text,
    index_tokens,
    name_tokens,
    normalize,
    reload_dictionary,
    segment,
)
from search.analysis.segment import Dictionary, get_dictionary, set_dictionary
from search.models import Synonym

HOSTILE = [
    "",
    "   ",
    "\t\n",
    "x" * 10_000,
    "身份证" * 5000,
    "\x00\x01\x02低保\x7f",
    '"',
    "'",
    '"身份证"',
    "*",
    "低保*",
    "NEAR(",
    "NEAR(低保 医保)",
    "AND",
    "低保 AND 医保",
    "OR NOT",
    ":",
    "name:低保",
    "{name}: 低保",
    "(",
    "((((",
    ")",
    "'; DROP TABLE docs; --",
    "1 OR 1=1",
    "%_\\",
    "\u200b\ufeff",
    "🙂🙂",
]

NAMES = [
    "最低生活保障",
    "居民身份证换领",
    "城乡居民基本医疗保险参保登记",
    "机动车驾驶证换证",
    "城乡居民基本养老保险待遇申领",
    "农村部分计划生育家庭奖励扶助金",
    "残疾人证新办",
    "农民专业合作社（联合社）设立登记",
    "农民专业合作社设立",
]
PAIRS = [
    ("农合", "城乡居民基本医疗保险"),
    ("驾照", "驾驶证"),
    ("退休金", "养老保险待遇"),
    ("计生", "计划生育"),
    ("低保", "最低生活保障"),
    ("五保", "特困人员救助供养"),
    ("身份证", "居民身份证"),
    ("残疾证", "残疾人证"),
]


@pytest.fixture(autouse=True)
def _fresh_dictionary():
    reload_dictionary()
    yield
    reload_dictionary()


@pytest.fixture
def dictionary():
    """A dictionary from a few real catalog names and synonyms, without the database."""
    built = Dictionary(names=NAMES, synonyms=PAIRS, places=["官盛镇", "区民政局"])
    set_dictionary(built)
    return built


@pytest.fixture
def no_seed(monkeypatch, tmp_path):
    monkeypatch.setattr("search.synonyms.SEED_FILE", tmp_path / "none.tsv")


# --- normalisation -------------------------------------------------------------------------


def test_normalize_folds_traditional_width_case_controls_and_spaces():
    assert normalize("醫療保險") == "医疗保险"
    assert normalize("戶口登記") == "户口登记"
    assert normalize("ＡＢＣ１２３　身份證") == "abc123 身份证"
    assert normalize("a\x00b\x07c") == "abc"
    assert normalize("  低保 \n\t 医保  ") == "低保 医保"
    assert normalize("\u200b低保\ufeff") == "低保"
    assert normalize(None) == ""
    assert normalize("") == ""


# --- segmentation and index tokens ---------------------------------------------------------


def test_a_word_is_found_inside_a_longer_name(dictionary):
    tokens = index_tokens("居民身份证换领")
    assert "身份证" in tokens
    assert "居民身份证换领" in tokens  # the catalog name itself, whole
    assert "医疗保险" in index_tokens("城乡居民基本医疗保险参保登记")


def test_index_tokens_fold_traditional_text(dictionary):
    assert "身份证" in index_tokens("居民身份證換領")


def test_index_tokens_drop_punctuation_and_stopwords(dictionary):
    tokens = index_tokens("申请人的居民身份证、户口簿（原件）。")
    assert all(t.isalnum() for t in tokens)
    assert "的" not in tokens
    assert {"居民身份证", "户口簿", "原件"} <= set(tokens)


def test_index_tokens_are_the_same_line_by_line(dictionary):
    text = "最低生活保障申请书\n居民身份证原件"
    assert index_tokens(text) == index_tokens("最低生活保障申请书") + index_tokens("居民身份证原件")


@pytest.mark.parametrize(
    "text",
    [
        "受理 官盛镇便民服务中心 核对申请材料，材料齐全的当场受理。\n\n——\n居民身份證換領ABC123",
        "办理地点：官盛镇便民服务中心综合受理窗口。\n办理地点：协兴镇便民服务中心综合受理窗口。",
        "申请人的居民身份证、户口簿（原件）。",
        "——",
        "",
    ],
)
def test_memoized_tokens_are_the_plain_segmentation(dictionary, text):
    """Lines and hanzi blocks are memoized (a rebuild meets them in every township): the
    tokens, and ``index_text`` (the tokens joined), are what segmenting each line gives."""
    plain = [w for line in text.split("\n") for w in dictionary._words(normalize(line), True)]
    assert index_tokens(text) == plain
    assert index_tokens(text) == plain  # from the memos
    assert index_text(text) == " ".join(plain)
    assert index_text(text) == " ".join(plain)


def test_name_tokens_carry_full_pinyin_and_initials(dictionary):
    tokens = name_tokens("最低生活保障")
    assert "zuidishenghuobaozhang" in tokens
    assert "zdshbz" in tokens
    assert "baozhang" in tokens  # per word
    assert "最低生活保障" in tokens


# --- question words --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "stripped"),
    [
        ("低保怎么办理", "低保"),
        ("办残疾证要带什么材料", "办残疾证"),
        ("请问身份证在哪里办？", "身份证"),
        ("驾照换证需要多久", "驾照换证"),
        ("医保多少钱啊", "医保"),
    ],
)
def test_question_words_are_stripped(dictionary, text, stripped):
    analyzed = analyze_query(text)
    assert analyzed.normalized.replace(" ", "").rstrip("？?") == stripped
    assert analyzed.stripped


def test_a_query_of_question_words_only_keeps_them(dictionary):
    analyzed = analyze_query("怎么办")
    assert analyzed.normalized == "怎么办"
    assert not analyzed.is_empty


# --- synonyms --------------------------------------------------------------------------------


def test_colloquial_words_expand_to_the_catalog_words(dictionary):
    assert analyze_query("农合").groups == [["农合", "城乡居民基本医疗保险"]]
    assert analyze_query("驾照").groups == [["驾照", "驾驶证"]]
    assert "养老保险待遇" in analyze_query("退休金怎么领").groups[0]
    assert "计划生育" in analyze_query("计生").groups[0]


def test_a_synonym_inside_a_longer_word_expands(dictionary):
    (group,) = analyze_query("五保户").groups
    assert "特困人员救助供养" in group


@pytest.mark.django_db
def test_synonyms_come_from_the_database_and_edits_reload_them(no_seed):
    factories.ServiceItemFactory(name="城乡居民基本医疗保险参保登记")
    assert analyze_query("农合").groups == [["农合"]]
    Synonym.objects.create(term="农合", canonical="城乡居民基本医疗保险")  # signal: reload
    assert analyze_query("农合").groups == [["农合", "城乡居民基本医疗保险"]]
    Synonym.objects.filter(term="农合").update(active=False)
    reload_dictionary()
    assert analyze_query("农合").groups == [["农合"]]


@pytest.mark.django_db
def test_an_empty_synonym_table_falls_back_to_the_seed_file():
    assert not Synonym.objects.exists()
    (group,) = analyze_query("农合").groups
    assert len(group) > 1  # the shipped seed knows 农合


# --- pinyin --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "word"),
    [
        ("dibao", "低保"),
        ("DiBao", "低保"),
        ("di bao", "低保"),
        ("zuidishenghuobaozhang", "最低生活保障"),
        ("zdshbz", "最低生活保障"),
        ("sfz", "身份证"),
        ("shen fen zheng", "身份证"),
    ],
)
def test_pinyin_resolves_to_catalog_words(dictionary, typed, word):
    analyzed = analyze_query(typed)
    assert any(word in group for group in analyzed.groups)
    assert analyzed.corrected  # "did you mean" shows the hanzi


def test_a_run_of_pinyin_splits_into_words(dictionary):
    analyzed = analyze_query("shenfenzhenghuanling")
    assert len(analyzed.groups) == 2
    assert "身份证" in analyzed.groups[0]
    assert "换领" in analyzed.groups[1]
    assert analyzed.corrected == "身份证换领"


def test_an_initials_prefix_finds_a_long_name(dictionary):
    (group,) = analyze_query("tkry").groups
    assert "特困人员救助供养" in group


# --- homophone correction --------------------------------------------------------------------


def test_homophone_typo_is_corrected(dictionary):
    analyzed = analyze_query("身分证")
    assert analyzed.corrected == "身份证"
    assert "身份证" in analyzed.groups[0]
    assert "身分证" in analyzed.groups[0]  # the typed word stays an alternative


def test_a_typo_that_splits_a_word_is_corrected(dictionary):
    assert analyze_query("残疾正").corrected == "残疾证"
    assert analyze_query("低宝").corrected == "低保"


def test_well_known_words_are_not_corrected(dictionary):
    assert analyze_query("工商").corrected == ""
    assert analyze_query("最低生活保障").corrected == ""


# --- long catalog words ------------------------------------------------------------------------


def test_a_long_catalog_word_also_matches_its_parts(dictionary):
    # a text may hold the parts apart: 农民专业合作社（联合社）设立登记
    analyzed = analyze_query("农民专业合作社设立")
    assert analyzed.groups == [
        ["农民专业合作社设立", "农民专业合作社"],
        ["农民专业合作社设立", "设立"],
    ]


# --- hostile input -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_never_raises_and_stays_bounded(dictionary, text):
    analyzed = analyze_query(text)
    assert len(analyzed.normalized) <= MAX_QUERY_CHARS
    assert len(analyzed.groups) <= 12
    assert all(len(group) <= 20 for group in analyzed.groups)
    for group in analyzed.groups:
        for token in group:
            assert token and all(ch.isalnum() for ch in token)


@pytest.mark.parametrize("text", ["", "   ", "\t\n", "\u200b"])
def test_empty_input_is_empty_and_says_so(dictionary, text):
    analyzed = analyze_query(text)
    assert analyzed.is_empty
    assert analyzed.messages


def test_what_could_not_be_done_is_said(dictionary):
    assert "100" in analyze_query("低保" * 100).messages[0]
    assert any("控制字符" in m for m in analyze_query("\x00低保").messages)
    assert any("符号" in m for m in analyze_query('"低保"*').messages)
    assert any("AND" in m for m in analyze_query("低保 AND 医保").messages)
    assert analyze_query("低保 AND 医保").groups == [["低保", "最低生活保障"], ["医保"]]
    assert analyze_query("AND").groups == [["and"]]  # alone, it is a word
    assert any("没有可以查找" in m for m in analyze_query("*** ((( )))").messages)


def test_many_words_are_capped(dictionary):
    text = " ".join(f"词{i}号" for i in range(40))
    analyzed = analyze_query(text)
    assert len(analyzed.groups) == 12
    assert any("12" in m for m in analyzed.messages)


# --- the dictionary from the database ----------------------------------------------------------


@pytest.mark.django_db
def test_the_dictionary_is_built_from_the_catalog(no_seed):
    factories.ServiceItemFactory(name="宅基地使用权审批")
    dictionary = get_dictionary()
    assert dictionary.is_domain_word("宅基地使用权审批")
    assert "宅基地使用权审批" in index_tokens("农村宅基地使用权审批流程")


@pytest.mark.django_db
def test_a_changed_catalog_is_noticed(no_seed, monkeypatch):
    monkeypatch.setattr(segment, "CHECK_SECONDS", 0)
    first = get_dictionary()
    factories.ServiceItemFactory(name="犬类准养证核发")
    assert get_dictionary() is not first
    assert get_dictionary().is_domain_word("犬类准养证核发")


def test_jieba_cache_goes_where_it_can_be_written(monkeypatch, tmp_path, settings):
    readonly = str(tmp_path / "readonly")
    (tmp_path / "readonly").mkdir()
    (tmp_path / "index").mkdir()
    monkeypatch.setattr(segment.os, "access", lambda path, mode: str(path) != readonly)
    monkeypatch.setattr(segment.tempfile, "gettempdir", lambda: readonly)
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    assert segment._jieba_cache_dir() == str(tmp_path / "index")
    settings.SEARCH_INDEX_DIR = readonly
    assert segment._jieba_cache_dir() is None  # jieba then builds without a cache
