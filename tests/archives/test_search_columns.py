"""A record's search columns are kept by the services that change what they
are made of (issue 16, item 4), not by a hidden ``save()``."""

import pytest
from django.core.exceptions import ValidationError

from archives.models import Category
from archives.models import Subcode
from archives.services.customers import customer_save
from archives.services.records import subcodes_by_code
from tests.archives.test_catalogue import _titles
from tests.archives.test_catalogue import archived  # noqa: F401 - a fixture


def test_a_customer_renamed_in_the_admin_is_found_by_the_new_name(
    client,
    archivist,
    admin_user,
    archived,  # noqa: F811
):
    customer = archived[0].customer
    client.force_login(archivist)
    assert _titles(client, q="华南新名") == []
    customer.name = "华南新名物流"
    customer_save(actor=admin_user, customer=customer)
    assert _titles(client, q="华南新名") == ["客户投诉送货延迟"]


def test_a_record_filed_and_accepted_is_found_by_title_and_number(
    client,
    archivist,
    archived,  # noqa: F811
):
    client.force_login(archivist)
    assert _titles(client, q="回访") == ["电话回访满意度"]
    archived[1].refresh_from_db()
    number = archived[1].number
    assert _titles(client, q=number) == ["电话回访满意度"]


@pytest.mark.django_db
def test_one_resolver_names_sub_codes_by_key_or_by_a_code_only_one_dimension_has():
    gt = Category.objects.get(code="GT")
    phone = Subcode.objects.get(
        dimension__category=gt, dimension__key="channel", code="DH"
    )
    assert subcodes_by_code(gt, [("channel", "DH")]) == {"channel": phone}
    assert subcodes_by_code(gt, [(None, "DH")]) == {"channel": phone}
    with pytest.raises(ValidationError) as refused:
        subcodes_by_code(gt, [("channel", "ZZ")])
    assert refused.value.message_dict == {
        "subcodes": ["GT has no sub-code channel:ZZ."]
    }
    # A retired sub-code is refused, as the filing form does not offer it.
    Subcode.objects.filter(pk=phone.pk).update(active=False)
    with pytest.raises(ValidationError, match="no sub-code DH"):
        subcodes_by_code(gt, [(None, "DH")])
