from tests.factories import make_document


def test_history_of_another_organisations_document_is_not_shown(client, gongan, gongan_clerk, jiaoyu_clerk, county_reviewer):
    document = make_document(gongan, gongan_clerk, title="公安局内部草稿标题")
    client.force_login(jiaoyu_clerk)
    response = client.get(f"/admin/disclosure/document/{document.pk}/history/")
    assert response.status_code == 403
    assert "公安局内部草稿标题" not in response.content.decode()
    client.force_login(county_reviewer)
    assert client.get(f"/admin/disclosure/document/{document.pk}/history/").status_code == 200


def test_history_is_for_reading_not_reverting(client, gongan, gongan_clerk):
    document = make_document(gongan, gongan_clerk, title="第一稿")
    document.title = "第二稿"
    document.save()
    first = document.history.earliest()
    client.force_login(gongan_clerk)
    page = client.get(f"/admin/disclosure/document/{document.pk}/history/")
    assert page.status_code == 200 and "第二稿" in page.content.decode()
    client.post(f"/admin/disclosure/document/{document.pk}/history/{first.history_id}/", {"title": "第一稿"})
    document.refresh_from_db()
    assert document.title == "第二稿"
