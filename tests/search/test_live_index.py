"""The live index: publishing, unpublishing, moving and deleting pages and editing catalog items
keep the search index current (signals → search.indexing → django-tasks, run immediately in
tests), a failing engine or task queue never breaks publishing, and ``search_reindex`` rebuilds.

Most tests look at what reached the engine through a recording stand-in; the journeys at the
end search through the real service and the embedded engine (in a fresh directory per test).
"""

import io
import logging

import pytest
from django.core.management import call_command
from wagtail.models import Page

from guides import factories
from guides.models import ServiceGuidePage
from search import indexing, tasks
from search.management.commands.search_reindex import Progress
from search.types import SearchQuery

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- engines


class MemoryBackend:
    """Records what it is given: documents by id, and every call."""

    name = "memory"

    def __init__(self):
        self.documents = {}
        self.calls = []

    def index(self, documents):
        documents = list(documents)
        self.calls.append(("index", [d.id for d in documents]))
        for document in documents:
            self.documents[document.id] = document
        return len(documents)

    def delete(self, document_ids):
        ids = list(document_ids)
        self.calls.append(("delete", ids))
        return sum(self.documents.pop(i, None) is not None for i in ids)

    def rebuild(self, documents, total=None, progress=None):
        self.documents = {}
        for n, document in enumerate(documents, start=1):
            self.documents[document.id] = document
            if progress:
                progress(n)
        return len(self.documents)

    def count(self):
        return len(self.documents)


class BrokenBackend(MemoryBackend):
    name = "broken"

    def index(self, documents):
        raise OSError("disk full")

    def delete(self, document_ids):
        raise OSError("disk full")


@pytest.fixture
def memory(monkeypatch):
    import search.backends

    backend = MemoryBackend()
    monkeypatch.setattr(search.backends, "get_backend", lambda: backend)
    return backend


@pytest.fixture
def engine(settings, tmp_path):
    """The real embedded engine in a fresh directory."""
    from search.backends import get_backend, reset_backend

    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    settings.ELASTICSEARCH_URL = ""
    reset_backend()
    yield get_backend()
    reset_backend()


def found(text, township=""):
    from search import service

    return {
        hit.document.id: hit.document for hit in service.search(SearchQuery(text, township)).hits
    }


# ---------------------------------------------------------------- content


@pytest.fixture
def dibao(township):
    item = factories.ServiceItemFactory(
        name="最低生活保障审核确认", department=factories.DepartmentFactory(name="广安区民政局")
    )
    return factories.ServiceGuidePageFactory(parent=township, item=item)


def publish(page):
    page.save_revision().publish()
    return page


# ---------------------------------------------------------------- guides


def test_publishing_a_guide_indexes_it(memory, dibao):
    document = memory.documents[f"guide:{dibao.pk}"]
    assert document.url == dibao.url and document.township_code == "511602101"
    assert document.item_name == "最低生活保障审核确认"


def test_unpublishing_removes_and_republishing_restores(memory, dibao):
    dibao.unpublish()
    assert f"guide:{dibao.pk}" not in memory.documents
    publish(ServiceGuidePage.objects.get(pk=dibao.pk))
    assert f"guide:{dibao.pk}" in memory.documents


def test_a_draft_is_not_indexed(memory, township):
    draft = factories.ServiceGuidePageFactory(parent=township, live=False)
    draft.save_revision()
    assert f"guide:{draft.pk}" not in memory.documents


def test_deleting_a_guide_removes_it(memory, dibao):
    dibao.delete()
    assert f"guide:{dibao.pk}" not in memory.documents


def test_deleting_a_township_removes_its_guides_and_notices_at_once(memory, township, dibao):
    other = factories.ServiceGuidePageFactory(parent=township)
    notices = factories.NoticeIndexPageFactory(parent=township)
    notice = publish(factories.NoticePageFactory(parent=notices, title="低保公示"))
    ids = {f"guide:{dibao.pk}", f"guide:{other.pk}", f"notice:{notice.pk}"}
    assert ids <= set(memory.documents)
    memory.calls.clear()
    Page.objects.get(pk=township.pk).delete()
    assert not ids & set(memory.documents)
    deletions = [call for call in memory.calls if call[0] == "delete"]
    assert len(deletions) == 1 and set(deletions[0][1]) == ids


def test_moving_a_township_updates_the_urls_of_its_guides(memory, township, other_township, dibao):
    notices = factories.NoticeIndexPageFactory(parent=township)
    notice = publish(factories.NoticePageFactory(parent=notices, title="低保公示"))
    Page.objects.get(pk=township.pk).move(other_township, pos="last-child")
    guide = ServiceGuidePage.objects.get(pk=dibao.pk)
    assert guide.url.startswith(other_township.url + township.slug + "/")
    assert memory.documents[f"guide:{dibao.pk}"].url == guide.url
    assert memory.documents[f"notice:{notice.pk}"].url == Page.objects.get(pk=notice.pk).url


def test_reordering_siblings_reindexes_nothing(memory, township, other_township, dibao):
    memory.calls.clear()
    Page.objects.get(pk=other_township.pk).move(township, pos="left")
    assert memory.calls == []


def test_renaming_a_townships_slug_updates_the_urls_of_its_guides(memory, township, dibao):
    township.slug = "guansheng"
    publish(township)
    guide = ServiceGuidePage.objects.get(pk=dibao.pk)
    assert guide.url.startswith("/guansheng/")
    assert memory.documents[f"guide:{dibao.pk}"].url == guide.url


def test_moving_a_guide_to_another_township(memory, township, other_township, dibao):
    Page.objects.get(pk=dibao.pk).move(other_township, pos="last-child")
    document = memory.documents[f"guide:{dibao.pk}"]
    assert document.township_code == other_township.code
    assert document.url == ServiceGuidePage.objects.get(pk=dibao.pk).url


def test_a_notice_is_indexed_when_published(memory, township):
    notices = factories.NoticeIndexPageFactory(parent=township)
    notice = publish(factories.NoticePageFactory(parent=notices, title="关于低保年审的通知"))
    assert memory.documents[f"notice:{notice.pk}"].title == "关于低保年审的通知"
    notice.unpublish()
    assert f"notice:{notice.pk}" not in memory.documents


# ---------------------------------------------------------------- catalog items


def test_editing_a_catalog_item_updates_it_and_its_guides(memory, dibao):
    item = dibao.item
    assert f"item:{item.pk}" in memory.documents
    item.name = "最低生活保障对象认定"
    item.save()
    assert memory.documents[f"item:{item.pk}"].item_name == "最低生活保障对象认定"
    assert memory.documents[f"guide:{dibao.pk}"].item_name == "最低生活保障对象认定"


def test_deleting_a_catalog_item_removes_it(memory):
    item = factories.ServiceItemFactory(name="临时救助")
    assert f"item:{item.pk}" in memory.documents
    pk = item.pk
    item.delete()
    assert f"item:{pk}" not in memory.documents


# ---------------------------------------------------------------- failures never break publishing


def test_a_failing_engine_does_not_stop_publishing(monkeypatch, township, caplog):
    import search.backends

    monkeypatch.setattr(search.backends, "get_backend", BrokenBackend)
    with caplog.at_level(logging.ERROR):
        guide = factories.ServiceGuidePageFactory(parent=township)
        guide.unpublish()
        publish(ServiceGuidePage.objects.get(pk=guide.pk))
        guide.item.save()
        Page.objects.get(pk=guide.pk).delete()
    assert not ServiceGuidePage.objects.filter(pk=guide.pk).exists()
    assert "Search index update failed for page" in caplog.text
    assert "Search index deletion failed" in caplog.text
    assert "disk full" in caplog.text


class RefusedTask:
    """A task whose queue refuses it (the task database is down); ``call`` still works."""

    def __init__(self, task):
        self.task = task
        self.name = task.name

    def enqueue(self, *args, **kwargs):
        raise ConnectionError("task database unavailable")

    def call(self, *args, **kwargs):
        return self.task.call(*args, **kwargs)


@pytest.fixture
def refused(monkeypatch):
    for name in ("update_search_index", "delete_from_search_index", "update_item_in_search_index"):
        monkeypatch.setattr(tasks, name, RefusedTask(getattr(tasks, name)))


def test_a_failing_task_queue_runs_the_update_inline(refused, memory, township, caplog):
    guide = factories.ServiceGuidePageFactory(parent=township)
    assert guide.live and f"guide:{guide.pk}" in memory.documents
    assert "Could not queue update_search_index" in caplog.text
    Page.objects.get(pk=guide.pk).delete()
    assert f"guide:{guide.pk}" not in memory.documents


def test_when_queue_and_engine_both_fail_publishing_still_works(
    refused, monkeypatch, township, caplog
):
    import search.backends

    monkeypatch.setattr(search.backends, "get_backend", BrokenBackend)
    guide = factories.ServiceGuidePageFactory(parent=township)
    assert ServiceGuidePage.objects.get(pk=guide.pk).live
    assert "Search index not updated by update_search_index" in caplog.text
    assert "search_reindex" in caplog.text


def test_suspended_queues_nothing(memory, township):
    with indexing.suspended():
        guide = factories.ServiceGuidePageFactory(parent=township)
    assert f"guide:{guide.pk}" not in memory.documents
    assert not indexing.is_suspended()


# ---------------------------------------------------------------- search_reindex


def test_search_reindex_rebuilds_with_progress_and_a_summary(memory, dibao, other_township):
    from search.documents import count_all_documents

    factories.ServiceGuidePageFactory(parent=other_township)
    memory.documents = {}
    out, err = io.StringIO(), io.StringIO()
    call_command("search_reindex", stdout=out, stderr=err)
    total = count_all_documents()
    assert total >= 4 and memory.count() == total
    assert f"guide:{dibao.pk}" in memory.documents
    lines = err.getvalue().splitlines()
    assert lines[-1].startswith("[" + "#" * 30 + "]") and f"{total}/{total} docs" in lines[-1]
    assert f"Indexed {total} of {total} documents" in out.getvalue()
    assert f"the index now holds {total}" in out.getvalue()


def test_search_reindex_quiet_prints_nothing(memory, dibao):
    out, err = io.StringIO(), io.StringIO()
    call_command("search_reindex", "--quiet", stdout=out, stderr=err)
    assert out.getvalue() == "" and err.getvalue() == ""
    assert f"guide:{dibao.pk}" in memory.documents


class Stream(io.StringIO):
    """Like the command's OutputWrapper: ``write(text, style_func=None, ending="\n")``."""

    def write(self, text, style_func=None, ending="\n"):
        return super().write(text + ending)


def test_progress_prints_a_line_per_tenth_when_not_a_terminal():
    stream, ticks = Stream(), iter(range(1000))
    progress = Progress(stream, 95, tty=False, clock=lambda: next(ticks))
    for done in range(1, 96):
        progress.update(done)
    progress.finish()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 11  # 0%, 10%, … 100%: each printed once
    assert lines[0].startswith("[" + "-" * 30 + "] 1/95 docs")
    assert lines[-1].startswith("[" + "#" * 30 + "] 95/95 docs") and lines[-1].endswith("/s")


def test_progress_redraws_in_place_on_a_terminal():
    stream, ticks = Stream(), iter(x / 10 for x in range(1000))
    progress = Progress(stream, 2487, tty=True, clock=lambda: next(ticks))
    progress.update(1234)
    progress.update(2487)
    progress.finish()
    text = stream.getvalue()
    assert text.count("\r") == 3 and text.endswith("\n")
    assert "\r[##############----------------] 1234/2487 docs" in text


# ---------------------------------------------------------------- through the real engine


def test_published_guides_are_findable_and_unpublished_ones_are_not(engine, dibao):
    assert f"guide:{dibao.pk}" in found("最低生活保障", "511602101")
    dibao.unpublish()
    assert f"guide:{dibao.pk}" not in found("最低生活保障", "511602101")
    publish(ServiceGuidePage.objects.get(pk=dibao.pk))
    assert f"guide:{dibao.pk}" in found("最低生活保障", "511602101")
    Page.objects.get(pk=dibao.pk).delete()
    assert f"guide:{dibao.pk}" not in found("最低生活保障", "511602101")


def test_a_moved_township_is_found_at_its_new_url(engine, township, other_township, dibao):
    Page.objects.get(pk=township.pk).move(other_township, pos="last-child")
    document = found("最低生活保障")[f"guide:{dibao.pk}"]
    assert document.url == ServiceGuidePage.objects.get(pk=dibao.pk).url
    assert document.url.startswith(other_township.url)


def test_an_edited_item_is_found_by_its_new_name(engine, dibao):
    item = dibao.item
    item.name = "城乡低保对象认定"
    item.save()
    hits = found("城乡低保对象认定")
    assert f"item:{item.pk}" in hits and f"guide:{dibao.pk}" in hits


def test_search_reindex_fills_the_real_engine(engine, dibao, other_township):
    from search.documents import count_all_documents

    factories.ServiceGuidePageFactory(parent=other_township)
    err = io.StringIO()
    call_command("search_reindex", stdout=io.StringIO(), stderr=err)
    assert engine.count() == count_all_documents()
    assert f"guide:{dibao.pk}" in found("最低生活保障")


def test_catalog_import_updates_the_dictionary_and_the_public_index(engine, tmp_path):
    from guides.importers import import_catalog
    from search.service import search
    from search.types import SearchQuery

    catalog = tmp_path / "catalog.csv"
    catalog.write_text(
        "department,main_item,item_name,task_type_code,task_type_name_inferred,"
        "sczwfw_item_code,area_code,dept_code,link\n"
        "区农业农村局,未分类,蜂蜜溯源标识申领,20,公共服务,512B9TEST0001-511602000000-000-X-1-00,"
        "511602000000,11511301008778423H,\n",
        encoding="utf-8",
    )
    import_catalog(catalog)
    results = search(SearchQuery(text="蜂蜜溯源"))
    assert [hit.document.item_name for hit in results.hits] == ["蜂蜜溯源标识申领"]
