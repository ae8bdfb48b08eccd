"""The fast form renderer writes what Django's widget templates write."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from archives.forms import CatalogueForm
from core.forms_renderer import FastRenderer


def _normal(html: str) -> str:
    return re.sub(r"\s+", " ", str(html)).replace("> <", "><").strip()


class Everything(forms.Form):
    text = forms.CharField(max_length=10, initial='a "quoted" <b>')
    number = forms.IntegerField(required=False, min_value=1)
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    secret = forms.CharField(widget=forms.PasswordInput)
    hidden = forms.CharField(widget=forms.HiddenInput, initial="x&y")
    mail = forms.EmailField(disabled=True)
    choice = forms.ChoiceField(
        choices=[("", "—"), ("a", "A & B"), ("Group <1>", [("b", "B"), ("c", "C")])]
    )
    many = forms.MultipleChoiceField(choices=[("1", "一"), ("2", "二")], required=False)
    flag = forms.BooleanField(required=False)
    note = forms.CharField(widget=forms.Textarea, required=False)


@pytest.mark.parametrize(
    "data",
    [None, {"text": "<x>", "choice": "c", "many": ["1", "2"], "number": "-3"}],
    ids=["unbound", "bound with errors"],
)
def test_every_widget_renders_as_with_django_templates(data):
    fast = Everything(data, renderer=FastRenderer())
    slow = Everything(data, renderer=DjangoTemplates())
    for name in fast.fields:
        assert _normal(fast[name]) == _normal(slow[name]), name


@pytest.mark.django_db
def test_the_catalogue_filters_render_as_with_django_templates():
    data = {"q": "投诉", "category": "1", "status": "archived", "sort": "title"}
    fast = CatalogueForm(data, renderer=FastRenderer())
    slow = CatalogueForm(data, renderer=DjangoTemplates())
    for name in fast.fields:
        html = _normal(fast[name].as_widget(attrs={"class": "form-select"}))
        assert html == _normal(slow[name].as_widget(attrs={"class": "form-select"}))
    assert "selected" in str(fast["status"])
