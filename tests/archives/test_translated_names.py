"""Issue 19, item 16: category, sub-code, department and storeroom names are
data shown in the reader's language."""

from django.core.cache import cache
from django.urls import reverse

from archives.models import Storeroom
from tests.factories import DepartmentFactory


def _page(client, url, language):
    client.cookies["django_language"] = language
    return client.get(url).content.decode()


def test_the_filing_form_and_catalogue_speak_the_readers_language(client, staff):
    client.force_login(staff)
    form = reverse("archives:record-create", args=["GT"])
    english = _page(client, form, "en")
    assert "Customer communication records" in english
    assert ">Channel" in english and "Telephone" in english
    assert "沟通方式" not in english
    chinese = _page(client, form, "zh-hans")
    assert "客服沟通记录档案" in chinese and "沟通方式" in chinese
    traditional = _page(client, form, "zh-hant")
    assert "客服溝通記錄檔案" in traditional and "溝通方式" in traditional
    # The catalogue's filters are kept per language.
    catalogue = reverse("archives:catalogue")
    assert "GT Customer communication records" in _page(client, catalogue, "en")
    assert "GT 客服沟通记录档案" in _page(client, catalogue, "zh-hans")


def test_departments_and_storerooms_named_by_the_admin(client, archivist, db):
    DepartmentFactory(code="CS9", name="客服九部", names={"en": "Service desk 9"})
    Storeroom.objects.create(code="R9", name="第九档案库房", names={"en": "Room 9"})
    cache.clear()
    client.force_login(archivist)
    english = _page(client, reverse("archives:storeroom-list"), "en")
    assert "R9 Room 9" in english
    catalogue = _page(client, reverse("archives:catalogue"), "en")
    assert "Service desk 9" in catalogue
    assert "第九檔案庫房" in _page(
        client, reverse("archives:storeroom-list"), "zh-hant"
    )
