from django.contrib.auth.models import User
from django.core.management import call_command

from catalog.models import Catalogue, CatalogueItem, ReviewStep
from disclosure.models import Document
from portal.models import Organisation, Staff
from requests_app.models import Application, ApplicationEvent, ReplyType


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Organisation, User, Staff, Catalogue, CatalogueItem, ReviewStep, Document, Application, ApplicationEvent)
    }


def test_demo_county_loads_and_loading_again_changes_nothing(db, capsys):
    call_command("load_demo")
    first = counts()
    assert first["Organisation"] >= 1 + 15 + 8
    assert Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT).count() >= 15
    assert Organisation.objects.filter(kind__in=["township", "subdistrict"]).count() >= 8
    assert Organisation.objects.filter(kind__in=["village", "residents"]).exists()
    for role in ("is_clerk", "is_reviewer", "is_county_office"):
        assert Staff.objects.filter(**{role: True}).exists()
    assert User.objects.get(username="gaj_clerk").check_password("qinghe-demo-2026")
    # Published catalogues in several organisations, and versions in review.
    published = Catalogue.objects.filter(state="published", is_guideline=False)
    assert published.values("organisation").distinct().count() >= 3
    assert Catalogue.objects.filter(state__in=["submitted", "first_reviewed"]).exists()

    # Documents in every attribute; applications in every state and every reply type.
    assert set(Document.objects.values_list("attribute", flat=True)) == {"proactive", "on_request", "withheld"}
    assert set(Application.objects.values_list("state", flat=True)) == set(Application.State.values)
    assert set(Application.objects.exclude(reply_type="").values_list("reply_type", flat=True)) == set(ReplyType.values)

    call_command("load_demo")
    assert counts() == first
    assert "新增机构 0 个，新增用户 0 个" in capsys.readouterr().out
