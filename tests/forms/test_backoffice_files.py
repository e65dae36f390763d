"""Materials, printable documents and another township's URLs in the back office."""

import pytest
from django.urls import reverse

from forms import actions
from forms.models import Application, ApplicationFile
from tests.forms.backoffice_fixtures import *  # noqa: F403
from tests.forms.backoffice_fixtures import admin_url, stored_file, submit
from tests.forms.files import jpeg_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_files(online_guide, private_root):
    photo = stored_file(jpeg_bytes(exif=False, metadata=False))
    scan = stored_file(
        pdf_bytes(),
        material_name="户口簿",
        original_name="户口簿.pdf",
        content_type="application/pdf",
        extension="pdf",
    )
    return submit(online_guide, files=[photo, scan])


def test_a_clerk_of_the_township_gets_the_file_inline_with_safe_headers(client, clerk, with_files):
    photo = with_files.files.get(content_type="image/jpeg")
    client.force_login(clerk)
    page = client.get(admin_url("detail", with_files.pk)).content.decode()
    assert admin_url("file", photo.pk) in page and "户口簿.pdf" in page
    response = client.get(admin_url("file", photo.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == jpeg_bytes(exif=False, metadata=False)
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_download_as_attachment_keeps_the_original_name(client, clerk, with_files):
    scan = with_files.files.get(content_type="application/pdf")
    client.force_login(clerk)
    response = client.get(admin_url("file", scan.pk, query="download=1"))
    assert b"".join(response.streaming_content) == pdf_bytes()
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment") and "%E6%88%B7%E5%8F%A3%E7%B0%BF.pdf" in disposition


def test_unexpected_types_are_downloaded_as_bytes(client, clerk, online_guide, private_root):
    odd = stored_file(b"<html><script>alert(1)</script>", original_name="a.html",
                      content_type="text/html", extension="jpg")  # fmt: skip
    application = submit(online_guide, files=[odd])
    client.force_login(clerk)
    response = client.get(admin_url("file", application.files.get().pk))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_a_missing_file_is_a_404(client, clerk, with_files):
    photo = with_files.files.get(content_type="image/jpeg")
    ApplicationFile.objects.filter(pk=photo.pk).update(stored_name="applications/gone.jpg")
    client.force_login(clerk)
    assert client.get(admin_url("file", photo.pk)).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(client, with_files):
    response = client.get(admin_url("file", with_files.files.first().pk))
    assert response.status_code == 302 and reverse("wagtailadmin_login") in response.url


def test_county_admin_may_read_every_township_file(client, county_admin, with_files):
    client.force_login(county_admin)
    assert client.get(admin_url("file", with_files.files.first().pk)).status_code == 200


# --- another township's application: every URL is a 404 -------------------------------------


@pytest.fixture
def theirs(other_guide, other_clerk, private_root):
    """协兴镇's application, rejected after a supplement request, with a file."""
    application = submit(other_guide, files=[stored_file(jpeg_bytes(exif=False))])
    actions.request_supplement(application, other_clerk, [("户口簿", "缺少户主页")])
    actions.reject(application, other_clerk, "逾期未补正")
    return Application.objects.get(pk=application.pk)


def test_another_townships_urls_are_404_for_a_clerk(client, clerk, theirs):
    client.force_login(clerk)
    urls = [
        admin_url("detail", theirs.pk),
        admin_url("file", theirs.files.get().pk),
        admin_url("print", theirs.pk, "rejection"),
        admin_url("print", theirs.pk, "supplement"),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    before = theirs.events.count()
    for key, data in [("accept", {}), ("reject", {"reject-reason": "x"})]:
        assert client.post(admin_url("act", theirs.pk, key), data).status_code == 404
    assert Application.objects.get(pk=theirs.pk).events.count() == before
    # the same URLs work for 协兴镇's own clerk
    from forms.models import ApplicationEvent

    other_clerk = ApplicationEvent.objects.filter(application=theirs).last().actor
    client.force_login(other_clerk)
    for url in urls:
        assert client.get(url).status_code == 200, url


# --- printable documents ---------------------------------------------------------------------


def test_rejection_notice(client, clerk, online_guide):
    application = submit(online_guide, name="张秀英")
    client.force_login(clerk)
    assert client.get(admin_url("print", application.pk, "rejection")).status_code == 404
    actions.reject(application, clerk, "申请人户籍不在本镇")
    page = client.get(admin_url("print", application.pk, "rejection")).content.decode()
    township = online_guide.township
    for text in [
        "不予受理告知书",
        township.display_center_name,
        "张秀英",
        application.item_name,
        application.display_tracking_number,
        "申请人户籍不在本镇",
        "广安区人民政府",  # reconsideration body (the county's, through the guide)
        "广安区人民法院",
        "（盖章）",
        "@page",  # print CSS
    ]:
        assert text in page, text
    assert "wagtail-sidebar" not in page  # no admin chrome


def test_supplement_notice_lists_each_material_and_its_problem(client, clerk, online_guide):
    application = submit(online_guide)
    client.force_login(clerk)
    assert client.get(admin_url("print", application.pk, "supplement")).status_code == 404
    actions.request_supplement(
        application, clerk, [("户口簿", "缺少户主页"), ("收入证明", "未加盖公章")]
    )
    page = client.get(admin_url("print", application.pk, "supplement")).content.decode()
    for text in ["一次性告知书", "户口簿", "缺少户主页", "收入证明", "未加盖公章", "王小明"]:
        assert text in page, text


def test_acceptance_receipt_staff_copy(client, clerk, with_files):
    client.force_login(clerk)
    assert client.get(admin_url("print", with_files.pk, "receipt")).status_code == 404
    application = actions.accept(with_files, clerk)
    page = client.get(admin_url("print", application.pk, "receipt")).content.decode()
    for text in [
        "受理回执",
        "存根",
        application.display_tracking_number,
        application.item_name,
        application.applicant_name,
        "户口簿",  # materials received
        "申请人居民身份证",
        application.deadline.strftime("%Y年%-m月%-d日"),
    ]:
        assert text in page, text


def test_unknown_document_is_404(client, clerk, online_guide):
    application = submit(online_guide)
    client.force_login(clerk)
    assert client.get(admin_url("print", application.pk, "certificate")).status_code == 404
