from tests.factories import make_document, publish_document


def test_search_finds_public_documents_by_title_and_number(client, gongan, gongan_clerk, gongan_reviewer, django_assert_max_num_queries):
    publish_document(make_document(gongan, gongan_clerk, title="关于户籍业务跨省通办的公告", document_number="青公发〔2026〕3号"), gongan_clerk, gongan_reviewer)
    make_document(gongan, gongan_clerk, title="户籍草稿不公开")
    with django_assert_max_num_queries(2):
        response = client.get("/search/", {"q": "户籍"})
    content = response.content.decode()
    assert "关于户籍业务跨省通办的公告" in content and "户籍草稿不公开" not in content
    assert "关于户籍业务跨省通办的公告" in client.get("/search/", {"q": "青公发〔2026〕3号"}).content.decode()


def test_search_within_results(client, gongan, gongan_clerk, gongan_reviewer):
    for title in ("户籍业务跨省通办的公告", "户籍业务办事指南", "交通安全通告"):
        publish_document(make_document(gongan, gongan_clerk, title=title), gongan_clerk, gongan_reviewer)
    first = client.get("/search/", {"q": "户籍"}).content.decode()
    assert "户籍业务办事指南" in first and "户籍业务跨省通办的公告" in first and "交通安全通告" not in first
    assert 'name="within" value="户籍"' in first
    second = client.get("/search/", {"within": "户籍", "q": "指南"}).content.decode()
    assert "户籍业务办事指南" in second and "户籍业务跨省通办的公告" not in second
