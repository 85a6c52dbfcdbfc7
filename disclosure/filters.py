"""Filters of the public document lists (by organisation, topic, domain, item, genre, validity, words)."""

import django_filters
from django import forms

from catalog.models import Domain
from portal import cache, search
from portal.models import Organisation

from .models import AnnualReport, Document, Topic

class RenderedOnceSelect(forms.Select):
    """A select whose options (dozens of organisations and topics, each through a template) are
    rendered once per public generation; each request only marks its selected option. The options
    come from organisations, topics and domains, whose changes bump the generation."""

    def render(self, name, value, attrs=None, renderer=None):
        key = ("select", name, tuple(sorted(self.build_attrs(self.attrs, attrs).items())))
        # An empty list matches no option, so none is marked selected.
        html = cache.rendered_once(key, lambda: str(super(RenderedOnceSelect, self).render(name, [], attrs, renderer)))
        return cache.mark_selected(html, self.format_value(value)[0])


class DocumentFilter(django_filters.FilterSet):
    organisation = django_filters.ModelChoiceFilter(
        label="发布机构", queryset=Organisation.objects.filter(is_disclosure_body=True), empty_label="全部",
        widget=RenderedOnceSelect,
    )
    topic = django_filters.ModelChoiceFilter(
        label="主题分类", queryset=Topic.objects.select_related("parent"), to_field_name="code", method="filter_topic",
        empty_label="全部", widget=RenderedOnceSelect,
    )
    domain = django_filters.ModelChoiceFilter(
        label="公开领域", queryset=Domain.objects.all(), to_field_name="slug", field_name="catalogue_item__catalogue__domain",
        empty_label="全部", widget=RenderedOnceSelect,
    )
    item = django_filters.UUIDFilter(label="公开事项", field_name="catalogue_item__key")
    genre = django_filters.ChoiceFilter(label="体裁", choices=Document.Genre.choices, empty_label="全部",
                                      widget=RenderedOnceSelect)
    validity = django_filters.ChoiceFilter(label="有效性", choices=Document.Validity.choices, empty_label="全部",
                                         widget=RenderedOnceSelect)
    year = django_filters.NumberFilter(label="发布年份", field_name="publish_date__year", min_value=1990, max_value=2100)
    q = django_filters.CharFilter(label="关键词", method="filter_words", max_length=100)

    class Meta:
        model = Document
        fields = []

    def filter_topic(self, queryset, name, topic):
        # A top-level topic also finds what is filed under its sub-topics.
        return queryset.filter(topic__in=topic.get_descendants(include_self=True))

    def filter_words(self, queryset, name, value):
        """Every word in the title, 文号, body or attachments, through the site search's index; the
        list keeps its own order and keyset paging. Words that cannot be searched find nothing."""
        query = search.parse([value])
        if not query.tokens:
            return queryset.none()
        return queryset.filter(pk__in=search.matching_ids(search.Kind.DOCUMENT, query.tokens))


class AnnualReportFilter(django_filters.FilterSet):
    """The public list of 政府信息公开工作年度报告: by year and by the body that reports."""

    year = django_filters.NumberFilter(label="年度", min_value=2008, max_value=2100)
    organisation = django_filters.ModelChoiceFilter(
        label="报告机关", queryset=Organisation.objects.filter(is_disclosure_body=True), empty_label="全部",
    )

    class Meta:
        model = AnnualReport
        fields = []
