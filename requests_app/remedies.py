"""The remedy paragraph of a reply letter: which remedy the law gives against each reply type, and which
bodies the letter names for an organisation (《行政复议法》2023, 《行政诉讼法》)."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models

from portal.models import Organisation

from .models import ReplySettings, ReplyType


class Remedy(models.TextChoices):
    # 《行政复议法》第二十三条第一款第（四）项: 申请政府信息公开，行政机关不予公开 → 复议前置; 第二款: the body must
    # say so when it decides.
    RECONSIDERATION_FIRST = "reconsideration_first", "复议前置"
    # 第三十七条: one letter, two acts. The withheld part is a 不予公开 (复议前置); the disclosed part is not.
    RECONSIDERATION_FIRST_FOR_WITHHELD_PART = "reconsideration_first_for_withheld_part", "不予公开部分复议前置"
    # 《行政复议法》第二十条 (60 days of knowing the act) / 《行政诉讼法》第四十四条、第四十六条 (6 months).
    RECONSIDERATION_OR_LAWSUIT = "reconsideration_or_lawsuit", "行政复议或者行政诉讼"


# Every reply type closes the application and so is an act the applicant may contest; none goes out
# without a remedy paragraph. A careful legal office prints one even where little seems contestable:
# - 予以公开 and 已主动公开: the applicant may still dispute the scope (not all that was asked for), the
#   form (条例第四十条) or that the place named really holds the information.
# - 无法提供 2, 不予处理 3 (法释〔2011〕17号 第二条 keeps some such suits out of court): whether a suit is
#   admitted is the court's to decide, not the letter's; the letter does not pre-judge it.
# - A letter without the remedy does not shorten the applicant's time, it lengthens it, up to a year
#   (《行政复议法》第二十条; 法释〔2018〕1号 第六十四条), and courts cite the omission as a defect.
# The asymmetry also settles the doubtful row: telling 复议前置 where it was not required costs the
# applicant one free step (reconsideration) and the court stays open; telling the choice where it was
# required leads an applicant who sues to dismissal. So every row the annual report counts as 不予公开 is
# 复议前置, including 8.属于行政查询事项 (第三十六条第（七）项: the body declines to give it under the 条例).
# 无法提供, 不予处理 and 其他处理 are not 不予公开 (the report keeps them apart) and keep the choice.
_FIRST, _CHOICE = Remedy.RECONSIDERATION_FIRST, Remedy.RECONSIDERATION_OR_LAWSUIT
_PART = Remedy.RECONSIDERATION_FIRST_FOR_WITHHELD_PART
REMEDIES = {
    ReplyType.ALREADY_PUBLIC: _CHOICE,
    ReplyType.DISCLOSED: _CHOICE,
    ReplyType.PARTIALLY_DISCLOSED: _PART,
    ReplyType.WITHHELD_STATE_SECRET: _FIRST,
    ReplyType.WITHHELD_LAW: _FIRST,
    ReplyType.WITHHELD_THREE_SECURITIES: _FIRST,
    ReplyType.WITHHELD_THIRD_PARTY: _FIRST,
    ReplyType.WITHHELD_INTERNAL: _FIRST,
    ReplyType.WITHHELD_PROCESS: _FIRST,
    ReplyType.WITHHELD_ENFORCEMENT: _FIRST,
    ReplyType.WITHHELD_QUERY: _FIRST,
    ReplyType.UNAVAILABLE_NOT_HELD: _CHOICE,
    ReplyType.NOT_THIS_BODY: _CHOICE,
    ReplyType.UNAVAILABLE_NEEDS_CREATION: _CHOICE,
    ReplyType.UNAVAILABLE_UNCLEAR: _CHOICE,
    ReplyType.NOT_PROCESSED_PETITION: _CHOICE,
    ReplyType.NOT_PROCESSED_REPEAT: _CHOICE,
    ReplyType.NOT_PROCESSED_PUBLICATION: _CHOICE,
    ReplyType.NOT_PROCESSED_EXCESSIVE: _CHOICE,
    ReplyType.NOT_PROCESSED_CONFIRMATION: _CHOICE,
    ReplyType.OTHER_NO_SUPPLEMENT: _CHOICE,
    ReplyType.OTHER_FEE_UNPAID: _CHOICE,
    ReplyType.OTHER: _CHOICE,
}

REVIEW_LAW = "《中华人民共和国行政复议法》"

# After reconsideration the court is not one fixed court: 《行政诉讼法》第十八条 lets the suit go to the
# court where the reconsideration body sits as well, so the 复议前置 clause names none (as 第二十三条 does).
# 第四十五条: 15 days from receipt of the reconsideration decision.
AFTER_RECONSIDERATION = "对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内依法向人民法院提起行政诉讼"

PARAGRAPHS = {
    Remedy.RECONSIDERATION_OR_LAWSUIT: (
        "如对本答复不服，可以自收到本告知书之日起六十日内向{reconsideration_body}申请行政复议，"
        "或者在六个月内向{court}提起行政诉讼。"
    ),
    Remedy.RECONSIDERATION_FIRST: (
        "根据" + REVIEW_LAW + "第二十三条的规定，如对本答复不服，应当先自收到本告知书之日起六十日内向"
        "{reconsideration_body}申请行政复议；" + AFTER_RECONSIDERATION + "。"
    ),
    Remedy.RECONSIDERATION_FIRST_FOR_WITHHELD_PART: (
        "根据" + REVIEW_LAW + "第二十三条的规定，如对本答复中不予公开的部分不服，应当先自收到本告知书之日起六十日内向"
        "{reconsideration_body}申请行政复议，" + AFTER_RECONSIDERATION + "；如对本答复的其他内容不服，"
        "可以自收到本告知书之日起六十日内向{reconsideration_body}申请行政复议，或者在六个月内向{court}提起行政诉讼。"
    ),
}

# The county government's own superior when its ReplySettings does not name it: still true, if vague.
SUPERIOR_GOVERNMENT = "上一级人民政府"
# 《行政诉讼法》第十五条第（一）项: suits against a 县级以上地方人民政府 go to the intermediate court.
INTERMEDIATE_COURT = "有管辖权的中级人民法院"


@dataclass(frozen=True)
class RemedyBodies:
    reconsideration_body: str
    court: str


def _settings_of(organisation):
    try:
        return organisation.reply_settings
    except ReplySettings.DoesNotExist:
        return ReplySettings(organisation=organisation)


def _county_government(organisation):
    # Departments and townships hang right under the county government: their parent, when loaded with
    # select_related, answers without a query (the admin's list of settings relies on it).
    parent = organisation.parent
    if parent is not None and parent.kind == Organisation.Kind.COUNTY_GOVERNMENT:
        return parent
    root = organisation.get_root() if parent is not None else organisation
    return root if root.kind == Organisation.Kind.COUNTY_GOVERNMENT else None


def reconsideration_body(organisation, reply_settings):
    """《行政复议法》（2023）: the body an applicant asks for reconsideration of this organisation's replies."""
    if reply_settings.reconsideration_body:
        return reply_settings.reconsideration_body
    if reply_settings.is_vertically_managed:
        # 第二十七条: 税务、海关、金融、外汇管理、国家安全 → 上一级主管部门.
        return reply_settings.superior_authority
    if organisation.kind == Organisation.Kind.COUNTY_GOVERNMENT:
        # 第二十四条第一款第（二）项, seen from above: a county government's acts go to the city government.
        return reply_settings.superior_authority or SUPERIOR_GOVERNMENT
    # 第二十四条第一款第（一）项、第（二）项: departments of the county government and townships → the county
    # government (the root of the organisation tree).
    county = _county_government(organisation)
    return county.name if county is not None else settings.REMEDY_RECONSIDERATION_BODY


def court(organisation, reply_settings):
    """《行政诉讼法》第十八条 (the court where the body sits), 第十五条 (county governments: intermediate court)."""
    if reply_settings.court:
        return reply_settings.court
    if organisation.kind == Organisation.Kind.COUNTY_GOVERNMENT:
        return INTERMEDIATE_COURT
    return settings.REMEDY_COURT


def remedy_bodies(organisation):
    reply_settings = _settings_of(organisation)
    return RemedyBodies(reconsideration_body(organisation, reply_settings), court(organisation, reply_settings))


def remedy_paragraph(reply_type, organisation):
    """The letter's remedy paragraph for this reply type from this organisation."""
    bodies = remedy_bodies(organisation)
    return PARAGRAPHS[REMEDIES[ReplyType(reply_type)]].format(
        reconsideration_body=bodies.reconsideration_body, court=bodies.court
    )


# 条例第四十一条: the answers to a correction request are not 不予公开. 《行政复议法》第二十三条第一款第（四）项 puts
# only 申请政府信息公开，行政机关不予公开 before reconsideration, so every outcome, 不予更正 included, leaves the
# applicant the choice, in the CHOICE paragraph's words; the letter is a 答复书, not a 告知书.
def correction_remedy_paragraph(organisation):
    """The remedy paragraph of a 政府信息更正申请答复书 from this organisation."""
    bodies = remedy_bodies(organisation)
    return PARAGRAPHS[Remedy.RECONSIDERATION_OR_LAWSUIT].replace("本告知书", "本答复书").format(
        reconsideration_body=bodies.reconsideration_body, court=bodies.court
    )
