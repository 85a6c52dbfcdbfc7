"""The demo county (tests/conftest.py's demo_county, loaded once for this module and test_backup.py)."""

from django.contrib.auth.models import User
from django.core.management import call_command

from catalog.models import Catalogue, CatalogueItem, ReviewStep
from disclosure.models import Document
from portal.models import Organisation, Staff
from requests_app.models import Application, ApplicationEvent, ReplyType
from tests.requests_app.test_remedies import CHOICE, FIRST, PARAGRAPH, letter_paragraphs, remedy_of


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Organisation, User, Staff, Catalogue, CatalogueItem, ReviewStep, Document, Application, ApplicationEvent)
    }


def test_demo_county_loads_and_loading_again_changes_nothing(demo_county, db, capsys):
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


def test_demo_tax_bureau_letters_name_its_superior_not_the_county_government(demo_county, db):
    letters = Application.objects.filter(organisation__name="国家税务总局青禾县税务局").filter(letters__kind="reply").distinct()
    assert letters.count() >= 2
    remedies = {application.reply_type: remedy_of(letter_paragraphs(application)) for application in letters}
    assert remedies[ReplyType.WITHHELD_THIRD_PARTY] == PARAGRAPH[FIRST].format(body="国家税务总局青禾市税务局")
    assert remedies[ReplyType.DISCLOSED] == PARAGRAPH[CHOICE].format(body="国家税务总局青禾市税务局", court="青禾县人民法院")
    ordinary = Application.objects.filter(organisation__name="青禾县公安局").filter(letters__kind="reply").distinct().first()
    assert "青禾县人民政府" in remedy_of(letter_paragraphs(ordinary))


def test_table_three_identity_holds_on_the_demo_register_for_every_organisation_and_the_county(demo_county, db):
    from requests_app.statistics import COLUMN_KEYS, ROWS, table_three

    years = sorted({day.year for day in Application.objects.values_list("receipt_date", flat=True)})
    organisations = Organisation.objects.filter(applications__isnull=False).distinct()
    assert len(organisations) >= 3 and years
    for year in years:
        county = table_three(year)
        assert county.identity_breaks() == [], year
        tables = [table_three(year, Application.objects.filter(organisation=organisation)) for organisation in organisations]
        for table in tables:
            assert table.identity_breaks() == [], (year, table)
        # The organisations' tables add up to the county's, cell by cell.
        for row in ROWS:
            for column in COLUMN_KEYS:
                assert sum(table.cell(row, column) for table in tables) == county.cell(row, column), (year, row, column)
    assert table_three(years[-1]).cell("一、本年新收政府信息公开申请数量", "total") > 0


def test_the_demo_applications_are_stored_encrypted(demo_county, db):
    from django.db import connection

    application = Application.objects.filter(applicant_kind="person").first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone, address FROM requests_app_application WHERE id = %s", [application.pk])
        raw = " ".join(cursor.fetchone())
    assert application.id_number and application.id_number not in raw
    assert application.phone not in raw and application.address not in raw
