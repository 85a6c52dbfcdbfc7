from portal.models import Organisation


def test_county_office_sees_the_whole_organisation_tree(client, county_reviewer, gongan, jiaoyu):
    client.force_login(county_reviewer)
    response = client.get("/admin/portal/organisation/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "青禾县公安局" in content and "青禾县教育局" in content


def test_clerk_sees_and_edits_only_their_own_organisation(client, gongan_clerk, gongan, jiaoyu):
    client.force_login(gongan_clerk)
    response = client.get("/admin/portal/organisation/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "青禾县公安局" in content
    assert "青禾县教育局" not in content

    response = client.post(
        f"/admin/portal/organisation/{jiaoyu.pk}/change/",
        {"address": "被篡改的地址", "postcode": "", "phone": "", "email": "", "office_hours": ""},
    )
    assert response.status_code == 302  # Django admin: "对象不存在" and back to the list
    jiaoyu.refresh_from_db()
    assert jiaoyu.address == ""

    response = client.post(
        f"/admin/portal/organisation/{gongan.pk}/change/",
        {"address": "青禾县人民路8号", "postcode": "379900", "phone": "0539-7900110", "email": "", "office_hours": "工作日"},
    )
    assert response.status_code == 302
    gongan.refresh_from_db()
    assert gongan.address == "青禾县人民路8号"
    assert gongan.kind == Organisation.Kind.DEPARTMENT


def test_clerk_cannot_add_organisations(client, gongan_clerk):
    client.force_login(gongan_clerk)
    assert client.get("/admin/portal/organisation/add/").status_code == 403


def test_citizen_is_kept_out_of_the_back_office(client, citizen):
    client.force_login(citizen)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_changes_to_an_organisations_contact_data_are_kept_with_who_and_when(client, gongan_clerk, gongan):
    client.force_login(gongan_clerk)
    client.post(
        f"/admin/portal/organisation/{gongan.pk}/change/",
        {"address": "青禾县人民路8号", "postcode": "379900", "phone": "0539-7900110", "email": "", "office_hours": "工作日"},
    )
    latest = gongan.history.first()
    assert latest.address == "青禾县人民路8号" and latest.history_user == gongan_clerk
