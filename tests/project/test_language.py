"""Chinese is the product's language (DEVELOPERS: everything a user reads is Simplified
Chinese), whatever language the browser asks for."""

import pytest


@pytest.mark.parametrize("accept", ["en-US,en;q=0.9", "fr", "zh-TW", ""])
def test_admin_answers_in_chinese_whatever_the_browser_asks(admin_client, accept):
    response = admin_client.get("/admin/registry/organization/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 200
    page = response.content.decode()
    assert "选择 社会组织 来修改" in page
    assert "Select 社会组织 to change" not in page and "Log out" not in page
    assert response.headers.get("Content-Language", "zh-hans") == "zh-hans"


def test_admin_index_names_apps_in_chinese(admin_client):
    page = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "监督管理" in page and "Site administration" not in page
