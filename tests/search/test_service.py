"""The search service: caps, best bets, never an error; the synonym loader and the models."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from guides import factories
from search import service
from search.analysis import analyze_query, reload_dictionary
from search.backends import get_backend, reset_backend
from search.documents import count_all_documents, iter_all_documents
from search.models import BestBet, Synonym, SynonymKind
from search.synonyms import load_seed_synonyms, read_seed
from search.types import SearchQuery

from .test_analysis import HOSTILE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def index_dir(settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    settings.ELASTICSEARCH_URL = ""
    reset_backend()
    reload_dictionary()
    yield tmp_path / "index"
    reset_backend()
    reload_dictionary()


@pytest.fixture
def county(portal, township, other_township):
    """Two townships with a guide each for the same two items, and the index built."""
    assistance = factories.ServiceItemFactory(name="临时救助")
    allowance = factories.ServiceItemFactory(name="最低生活保障")
    guides = {}
    for place in (township, other_township):
        for item in (assistance, allowance):
            guides[(place.code, item.name)] = factories.ServiceGuidePageFactory(
                parent=place, item=item
            )
    reload_dictionary()
    get_backend().rebuild(iter_all_documents(), total=count_all_documents())
    return {"items": {"临时救助": assistance, "最低生活保障": allowance}, "guides": guides}


def search(text, **kwargs):
    return service.search(SearchQuery(text=text, **kwargs))


def ids(results):
    return [hit.document.id for hit in results.hits]


def test_search_finds_guides_and_items(county):
    results = search("最低生活保障", township="511602102")
    guide = county["guides"][("511602102", "最低生活保障")]
    assert ids(results)[0] == f"guide:{guide.pk}"
    assert f"item:{county['items']['最低生活保障'].pk}" in ids(results)


def test_best_bets_come_first_once(county):
    allowance = county["items"]["最低生活保障"]
    assistance_guide = county["guides"][("511602101", "临时救助")]
    BestBet.objects.create(query="救急", item=allowance, sort_order=2)
    BestBet.objects.create(query="救急", page=assistance_guide.page_ptr, sort_order=1)
    results = search("救急怎么办")  # question words do not hide the bet
    assert [h.best_bet for h in results.hits[:2]] == [True, True]
    assert ids(results)[:2] == [f"guide:{assistance_guide.pk}", f"item:{allowance.pk}"]

    results = search("最低生活保障")
    assert not any(h.best_bet for h in results.hits)
    BestBet.objects.create(query="最低生活保障", item=allowance)
    results = search("最低生活保障", limit=50)
    assert results.hits[0].best_bet
    assert ids(results).count(f"item:{allowance.pk}") == 1  # not repeated below


def test_an_item_bet_shows_the_townships_guide(county):
    allowance = county["items"]["最低生活保障"]
    BestBet.objects.create(query="低保", item=allowance)
    local = county["guides"][("511602102", "最低生活保障")]
    assert ids(search("低保", township="511602102"))[0] == f"guide:{local.pk}"
    assert ids(search("低保"))[0] == f"item:{allowance.pk}"


def test_township_bets_only_for_that_township(county, township):
    assistance = county["items"]["临时救助"]
    BestBet.objects.create(query="急难", item=assistance, township=township)
    assert search("急难", township="511602101").hits[0].best_bet
    assert not any(h.best_bet for h in search("急难", township="511602102").hits)


def test_best_bets_are_not_on_later_pages(county):
    allowance = county["items"]["最低生活保障"]
    BestBet.objects.create(query="最低生活保障", item=allowance)
    later = search("最低生活保障", offset=1, limit=50)
    assert f"item:{allowance.pk}" not in ids(later)
    assert not any(h.best_bet for h in later.hits)


def test_limits_are_capped(county):
    assert len(search("最低生活保障", limit=10_000).hits) <= 50
    assert search("最低生活保障", limit="many").hits  # nonsense: the default
    results = search("最低生活保障", offset=10**9)
    assert results.hits == []
    assert any("1000" in m for m in results.messages)


def test_hostile_input_never_raises(county):
    for text in [*HOSTILE, None, 12345, ["低保"], {"a": 1}]:
        results = service.search(SearchQuery(text=text, township=text, filters={"x": text}))
        assert results.count >= 0, text
        assert results.messages != [service.MSG_UNAVAILABLE], text
        assert isinstance(service.suggest(text, township=text, limit=text), list)
        results = service.search(SearchQuery(text="低保", limit=text, offset=text, filters=text))
        assert results.messages != [service.MSG_UNAVAILABLE], text


def test_an_engine_failure_is_a_message_not_an_error(county, monkeypatch):
    def broken(query):
        raise RuntimeError("disk full")

    monkeypatch.setattr(get_backend(), "search", broken)
    results = search("低保")
    assert results.count == 0
    assert results.messages == [service.MSG_UNAVAILABLE]


def test_suggest(county):
    texts = [s.text for s in service.suggest("zuidi")]
    assert texts == ["最低生活保障"]
    assert service.suggest("") == []
    assert len(service.suggest("临", limit=1000)) <= service.MAX_SUGGESTIONS


# --- models and the seed ---------------------------------------------------------------------


def test_best_bet_needs_one_target_and_a_query(county):
    allowance = county["items"]["最低生活保障"]
    guide = county["guides"][("511602101", "临时救助")]
    with pytest.raises(ValidationError):
        BestBet(query="低保").full_clean()
    with pytest.raises(ValidationError):
        BestBet(query="低保", item=allowance, page=guide.page_ptr).full_clean()
    with pytest.raises(ValidationError):
        BestBet(query="  ", item=allowance).full_clean()
    bet = BestBet.objects.create(query="  低保　ＡＢＣ ", item=allowance)
    assert bet.query == "低保 abc"  # stored as searches are compared


def test_synonym_rules():
    with pytest.raises(ValidationError):
        Synonym(term="低保", canonical="低保").full_clean()
    synonym = Synonym.objects.create(term="低保", canonical="最低生活保障")
    assert str(synonym) == "低保 → 最低生活保障"
    assert synonym.kind == SynonymKind.COLLOQUIAL
    assert SynonymKind.OLD_NAME.label == "旧称"


def test_saving_or_deleting_a_synonym_reloads_the_analysis():
    factories.ServiceItemFactory(name="特困人员救助供养")
    reload_dictionary()
    synonym = Synonym.objects.create(term="五保", canonical="特困人员救助供养")
    assert "特困人员救助供养" in analyze_query("五保").groups[0]
    synonym.delete()
    Synonym.objects.create(term="别的", canonical="别的词")  # the table is not empty
    assert analyze_query("五保").groups == [["五保"]]


def test_the_seed_loads_once(tmp_path):
    seed = tmp_path / "synonyms.tsv"
    seed.write_text(
        "term\tcanonical\tkind\tnote\n"
        "农合\t城乡居民基本医疗保险\told_name\t新农合\n"
        "驾照\t驾驶证\tcolloquial\t\n"
        "驾照\t驾驶证\tcolloquial\tduplicate\n"
        "坏行\t\tcolloquial\t\n"
        "计生\t计划生育\tnonsense\t\n",
        encoding="utf-8",
    )
    assert len(read_seed(seed)) == 4
    assert load_seed_synonyms(seed) == 3
    assert load_seed_synonyms(seed) == 0
    assert Synonym.objects.get(term="计生").kind == SynonymKind.COLLOQUIAL
    assert Synonym.objects.get(term="农合").note == "新农合"
    Synonym.objects.filter(term="驾照").update(active=False)
    assert load_seed_synonyms(seed) == 0
    assert not Synonym.objects.get(term="驾照").active  # editors' changes stay


def test_the_seed_command(capsys):
    call_command("search_seed_synonyms")
    assert Synonym.objects.count() == len({(row["term"], row["canonical"]) for row in read_seed()})
    assert "created" in capsys.readouterr().out


def test_the_seed_command_if_empty_keeps_editors_deletions(capsys):
    call_command("search_seed_synonyms", "--if-empty")
    seeded = Synonym.objects.count()
    assert seeded > 300
    Synonym.objects.filter(term="农合").delete()
    call_command("search_seed_synonyms", "--if-empty")
    assert Synonym.objects.count() < seeded
    assert not Synonym.objects.filter(term="农合").exists()


def test_the_admin_lists_synonyms_and_best_bets(admin_client):
    Synonym.objects.create(term="农合", canonical="城乡居民基本医疗保险")
    for url in ["/admin/snippets/search/synonym/", "/admin/snippets/search/bestbet/"]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
    assert "农合" in admin_client.get("/admin/snippets/search/synonym/").content.decode()
