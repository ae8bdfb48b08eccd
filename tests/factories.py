"""factory_boy factories for people, customers, storage and records."""

import datetime

import factory
from django.contrib.auth.models import Group

from accounts.models import Department
from accounts.models import User
from archives.models import ArchiveRecord
from archives.models import Box
from archives.models import Category
from archives.models import Customer
from archives.models import Shelf
from archives.models import Storeroom
from archives.models import Subcode
from archives.services.search import record_search_fill


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n:02d}")
    name = factory.Sequence(lambda n: f"客服{n}部")
    kind = Department.Kind.CUSTOMER_SERVICE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"员工{n}")
    department = factory.SubFactory(DepartmentFactory)
    password = factory.django.Password("Archive-pass-2026")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    code = factory.Sequence(lambda n: f"C{n:05d}")
    name = factory.Sequence(lambda n: f"华东机械制造有限公司{n}")


class StoreroomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Storeroom

    code = factory.Sequence(lambda n: f"R{n}")
    name = factory.Sequence(lambda n: f"第{n}库房")


class ShelfFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shelf

    storeroom = factory.SubFactory(StoreroomFactory)
    code = factory.Sequence(lambda n: f"S{n:02d}")


class BoxFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Box

    shelf = factory.SubFactory(ShelfFactory)
    code = factory.Sequence(lambda n: f"BOX-{n:04d}")
    category = factory.LazyFunction(lambda: Category.objects.get(code="GT"))
    year = 2023


def subcode(category_code: str, key: str, code: str) -> Subcode:
    return Subcode.objects.get(
        dimension__category__code=category_code, dimension__key=key, code=code
    )


class RecordFactory(factory.django.DjangoModelFactory):
    """A draft GT record filed by its responsible person."""

    class Meta:
        model = ArchiveRecord
        skip_postgeneration_save = True

    category = factory.LazyFunction(lambda: Category.objects.get(code="GT"))
    title = factory.Sequence(lambda n: f"客户来电咨询售后服务{n}")
    customer = factory.SubFactory(CustomerFactory)
    date_formed = datetime.date(2023, 1, 1)
    created_by = factory.SubFactory(UserFactory, role="cs_staff")
    responsible_person = factory.SelfAttribute("created_by")
    source_department = factory.SelfAttribute("created_by.department")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Filed as a service files it: with its search columns."""
        record = model_class(*args, **kwargs)
        record_search_fill(record)
        record.save()
        return record

    @factory.post_generation
    def codes(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None and self.category.code == "GT":
            extracted = {"channel": "DH"}
        for key, code in (extracted or {}).items():
            self.subcodes.add(subcode(self.category.code, key, code))


def api_key(user, name: str = "test") -> str:
    """A new API key of ``user``, made the only way there is: by its owner."""
    from accounts.tokens import api_token_create

    return api_token_create(actor=user, name=name)[1]


def mailbox_with_rule(*, assignee, category_code="GT", password="secret", **fields):  # noqa: S107
    """A mailbox filing into a category, with the archivist's rule that
    sends complaints (subject contains 投诉) to TS."""
    from archives.models import Category
    from archives.models import Mailbox
    from archives.models import MailRule

    box = Mailbox(
        **{
            "name": "客服邮箱",
            "host": "mail.example.com",
            "username": "service@example.com",
            "category": Category.objects.get(code=category_code),
            "assignee": assignee,
            **fields,
        }
    )
    box.set_password(password)
    box.save()
    MailRule.objects.create(
        mailbox=box,
        field=MailRule.Field.SUBJECT,
        contains="投诉",
        category=Category.objects.get(code="TS"),
    )
    return box
