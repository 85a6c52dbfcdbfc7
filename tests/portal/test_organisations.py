import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from portal.models import Organisation, Staff, validate_credit_code
from portal.staff import RoleError, assign_role, revoke_role
from tests.factories import make_organisation, make_user


def test_tree_knows_ancestors_and_descendants(county, gongan):
    town = make_organisation("柳河镇人民政府", kind=Organisation.Kind.TOWNSHIP, parent=county)
    village = make_organisation("柳河村民委员会", kind=Organisation.Kind.VILLAGE, parent=town, credit_code="")
    county.refresh_from_db()
    town.refresh_from_db()

    assert list(village.get_ancestors()) == [county, town]
    assert set(county.get_descendants()) == {gongan, town, village}
    assert list(town.get_children()) == [village]
    assert village.get_root() == county


def test_village_must_sit_under_a_township(county, gongan):
    village = Organisation(name="前营村民委员会", kind=Organisation.Kind.VILLAGE, parent=gongan)
    with pytest.raises(ValidationError) as error:
        village.full_clean()
    assert "村（居）民委员会的上级应为乡镇或街道" in str(error.value)


def test_only_the_county_government_is_a_root(db):
    department = Organisation(name="青禾县财政局", kind=Organisation.Kind.DEPARTMENT)
    with pytest.raises(ValidationError) as error:
        department.full_clean()
    assert "请选择上级机构" in str(error.value)


def test_credit_code_check_character_is_verified():
    validate_credit_code("91350100M000100Y43")  # a well-formed code from GB 32100 examples
    with pytest.raises(ValidationError, match="校验位不正确"):
        validate_credit_code("91350100M000100Y44")
    with pytest.raises(ValidationError, match="18位"):
        validate_credit_code("12345")


def test_two_organisations_cannot_share_a_credit_code(county, gongan):
    with pytest.raises(IntegrityError):
        make_organisation("青禾县另一个局", parent=county, credit_code=gongan.credit_code)


def test_assign_role_makes_a_back_office_user_of_one_organisation(gongan):
    user = make_user("zhangwei")
    assign_role(user, gongan, Staff.Role.CLERK)
    assign_role(user, gongan, Staff.Role.REVIEWER)

    user.refresh_from_db()
    assert user.is_staff
    assert user.staff.organisation == gongan
    assert user.staff.roles == [Staff.Role.CLERK, Staff.Role.REVIEWER]


def test_a_user_cannot_act_for_two_organisations(gongan, jiaoyu):
    user = make_user("zhangwei")
    assign_role(user, gongan, Staff.Role.CLERK)
    with pytest.raises(RoleError, match="已是青禾县公安局的工作人员"):
        assign_role(user, jiaoyu, Staff.Role.CLERK)
    assert Staff.objects.get(user=user).organisation == gongan


def test_revoking_the_last_role_leaves_the_back_office(gongan_clerk):
    revoke_role(gongan_clerk, Staff.Role.CLERK)
    gongan_clerk.refresh_from_db()
    assert not gongan_clerk.is_staff
    assert not Staff.objects.filter(user=gongan_clerk).exists()


def test_staff_without_any_role_is_refused_by_the_database(gongan):
    user = make_user("norole")
    with pytest.raises(IntegrityError):
        Staff.objects.create(user=user, organisation=gongan)
