"""The OpenAPI schema validates with no warning, in Chinese; the docs page needs no outside host."""

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_schema_generates_without_warnings_and_validates(tmp_path):
    path = tmp_path / "schema.yaml"
    # --fail-on-warn turns every warning and error of the generator into a failure; --validate checks
    # the result against the OpenAPI 3 specification's JSON schema.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    schema = yaml.safe_load(path.read_text())
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) >= {
        "/api/v1/organisations/", "/api/v1/domains/", "/api/v1/catalogues/", "/api/v1/catalogue-items/",
        "/api/v1/documents/", "/api/v1/documents/{id}/", "/api/v1/gazette-issues/",
        "/api/v1/changes/",
    }


def test_schema_is_served_with_chinese_descriptions(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    documents = schema["paths"]["/api/v1/documents/"]["get"]
    assert documents["summary"] == "政府信息"
    parameters = {p["name"]: p for p in documents["parameters"]}
    assert parameters["publish_date_from"]["description"] == "发布日期起（含）"
    assert sorted(parameters["format"]["schema"]["enum"]) == ["csv", "json", "xlsx"]
    changes = schema["paths"]["/api/v1/changes/"]["get"]
    assert changes["summary"] == "变化记录（供镜像同步）"
    assert {p["name"]: p for p in changes["parameters"]}["since"]["description"].startswith("上次返回的 cursor")
    fields = schema["components"]["schemas"]["DocumentDetail"]["properties"]
    assert fields["index_number"]["description"] == "索引号"
    assert fields["page_url"]["description"] == "公开网站上的页面地址"


def test_docs_page_loads_only_our_own_static_files(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    addresses = re.findall(r'(?:src|href)="([^"]*)"', page)
    # The page's own script comes from its own address (no inline script under the CSP).
    script = "/api/docs/?script="
    assert script in addresses
    addresses.remove(script)
    assert addresses and all(address.startswith("/static/") for address in addresses), addresses
    assert "http://" not in page and "https://" not in page
    code = client.get(script).content.decode()
    assert '"validatorUrl": null' in code and "http://" not in code and "https://" not in code
    for address in addresses:
        assert finders.find(address.removeprefix("/static/")), address
