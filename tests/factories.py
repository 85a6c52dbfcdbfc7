"""Small builders for test data. Plain functions; each returns a saved object."""

import base64
import itertools
import subprocess

from django.contrib.auth.models import User

from portal.models import Organisation, Staff, credit_code_check_char
from portal.staff import assign_role

_serial = itertools.count(1)


def make_credit_code():
    first17 = f"11379921{9000000 + next(_serial):09d}"
    return first17 + credit_code_check_char(first17)


def make_organisation(name, *, kind=Organisation.Kind.DEPARTMENT, parent=None, **fields):
    fields.setdefault("credit_code", make_credit_code())
    return Organisation.objects.create(name=name, kind=kind, parent=parent, **fields)


def make_user(username, **fields):
    return User.objects.create_user(username=username, password="test-pass-123", **fields)


def make_staff(username, organisation, *roles):
    user = make_user(username)
    for role in roles:
        assign_role(user, organisation, Staff.Role(role))
    user.refresh_from_db()
    return user


# ---------------------------------------------------------------- catalogues

ELEMENTS = {
    "content": "办理依据、申请材料、办理流程、办理时限",
    "basis": "《中华人民共和国户口登记条例》",
    "deadline": "信息形成或变更之日起20个工作日内",
    "owner": "县级公安机关",
    "channels": ["website", "service_centre"],
    "audience": "public",
    "method": "proactive",
    "level_county": True,
    "level_township": False,
}


def make_domain(name="户籍管理", slug="household-registration", order=22):
    from catalog.models import Domain

    return Domain.objects.create(name=name, slug=slug, order=order)


def add_items(catalogue, tree):
    """tree: {一级事项 name: [二级事项 name, ...]}; 二级事项 get ELEMENTS with their name in content."""
    from catalog.models import CatalogueItem

    for top_name, children in tree.items():
        top = CatalogueItem.objects.create(catalogue=catalogue, name=top_name)
        for child in children:
            CatalogueItem.objects.create(
                catalogue=catalogue, parent=top, name=child, **{**ELEMENTS, "content": f"{child}：{ELEMENTS['content']}"}
            )
    return catalogue


GUIDELINE_TREE = {"户口登记": ["出生登记", "死亡注销"], "户口迁移": ["迁入登记", "迁出登记"], "居民身份证管理": ["居民身份证申领"]}


def make_guideline(domain, tree=GUIDELINE_TREE):
    from catalog.models import Catalogue

    guideline = Catalogue.objects.create(domain=domain, is_guideline=True, state=Catalogue.State.PUBLISHED)
    add_items(guideline, tree)
    last = guideline.items.get(name="居民身份证申领")
    last.level_township = True
    last.save()
    return guideline


def make_published_catalogue(organisation, domain, *, clerk, reviewer, county_reviewer, tree=None):
    """An organisation's catalogue taken from the domain's guideline and taken through the whole review."""
    from catalog import workflow
    from catalog.models import Catalogue

    guideline = Catalogue.objects.get(domain=domain, is_guideline=True)
    chosen = guideline.items.filter(parent__isnull=False)
    if tree is not None:
        chosen = chosen.filter(name__in=[name for names in tree.values() for name in names])
    catalogue = workflow.start_catalogue(organisation, domain, by=clerk, guideline_items=chosen)
    workflow.submit(catalogue, by=clerk)
    workflow.first_review(catalogue, by=reviewer)
    return workflow.approve(catalogue, by=county_reviewer)


# ---------------------------------------------------------------- documents


def make_topic(code="0103", name="政务公开"):
    from disclosure.models import Topic

    parent, _ = Topic.objects.get_or_create(code=code[:2], defaults={"name": "综合政务"})
    topic, _ = Topic.objects.get_or_create(code=code, defaults={"name": name, "parent": parent})
    return topic


def make_document(organisation, clerk, *, title="关于做好2026年春节期间有关工作的通知", attribute="proactive", **fields):
    """A draft written by `clerk`."""
    import datetime

    from disclosure import workflow
    from disclosure.models import Document

    fields.setdefault("topic", make_topic())
    fields.setdefault("written_date", datetime.date(2026, 1, 20))
    if attribute != "proactive":
        fields.setdefault("ground", "process_information" if attribute == "withheld" else "specific_parties")
        fields.setdefault("ground_reason", "属于过程性信息")
    document = Document(title=title, organisation=organisation, attribute=attribute, **fields)
    return workflow.create(document, by=clerk)


def publish_document(document, clerk, reviewer, **kwargs):
    from disclosure import workflow

    workflow.submit(document, by=clerk)
    return workflow.publish(document, by=reviewer, **kwargs)


# ---------------------------------------------------------------- applications

VALID_RESIDENT_ID = "11010519491231002X"  # the GB 11643 standard's own example


def application_fields(organisation, **fields):
    import datetime

    from requests_app.models import Application

    values = {
        "organisation": organisation, "applicant_kind": Application.ApplicantKind.PERSON, "applicant_name": "王小明",
        "id_type": Application.IdType.RESIDENT_ID, "id_number": VALID_RESIDENT_ID, "phone": "13800138000",
        "email": "wang@example.com", "address": "青禾县人民路18号", "postcode": "379900",
        "description": "2025年青禾县户籍人口统计数据", "form_wanted": Application.Form.EMAIL,
        "delivery": Application.Delivery.EMAIL, "channel": Application.Channel.IN_PERSON,
        "arrived_on": datetime.date(2026, 9, 28),
    }
    values.update(fields)
    return values


def make_application(organisation, clerk=None, **fields):
    """An application received on paper and registered by `clerk` (or received online when clerk is None)."""
    from requests_app import workflow
    from requests_app.models import Application

    application = Application(**application_fields(organisation, **fields))
    return workflow.receive(application, by=clerk)


def pdf_bytes(text=None):
    """A real one-page PDF (the upload checks refuse fake ones); `text`, if given, as its subject."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if text:
        writer.add_metadata({"/Subject": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def reply_letter_bytes(application):
    """The .docx of the application's reply letter (the draft, or the one issued last)."""
    letter = application.letters.filter(kind="reply").order_by("-pk").first()
    assert letter is not None, f"{application} has no reply letter"
    with letter.file.open("rb") as file:
        return file.read()


def pdf_texts(docx_paths, out_dir):
    """Each .docx converted to PDF by LibreOffice (one soffice run for all: its start-up is most of the
    time) and read back with pypdf: {stem: text}, without the line breaks where the page wrapped."""
    from pypdf import PdfReader

    done = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{out_dir}/profile", "--convert-to", "pdf",
         "--outdir", str(out_dir), *map(str, docx_paths)],
        capture_output=True, text=True, timeout=300,
    )
    texts = {}
    for path in docx_paths:
        pdf = out_dir / f"{path.stem}.pdf"
        # soffice exits 0 even when it cannot load a file (e.g. Calc installed without Writer).
        assert pdf.exists(), f"soffice did not convert {path.name}: {done.stdout} {done.stderr}"
        texts[path.stem] = "".join("".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    return texts


# ---------------------------------------------------------------- second factor


def make_totp_device(user):
    """A confirmed TOTP device for `user` (what enrolment at the login page leaves)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True)


def totp_code(device):
    """The code the user's authenticator shows now; the next step's when this step's code was used
    (django-otp refuses a code twice, and accepts one step of drift)."""
    from django_otp.oath import TOTP

    device.refresh_from_db()
    clock = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    clock.drift += max(0, device.last_t + 1 - clock.t())
    return f"{clock.token():0{device.digits}d}"


# What a production start needs besides DEBUG=0, for tests that start the settings in a subprocess.
PRODUCTION_KEYS = {
    "PERSONAL_DATA_KEYS": base64.urlsafe_b64encode(b"test-personal-data-key-32-bytes!").decode(),
    "PERSONAL_DATA_HASH_KEY": "test-personal-data-hash-key-" + "h" * 20,
}
