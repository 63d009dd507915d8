"""Download your data on the settings page, and who may fetch an archive."""

from __future__ import annotations

import pytest
from django.urls import reverse

from glimpse.graph import services as graph
from glimpse.privacy import selectors
from glimpse.privacy.models import DataExport
from tests.privacy.conftest import api_as, body_of, open_zip, stored_files, web_as

pytestmark = pytest.mark.django_db


def ready_export(user, publish, run_commit_hooks) -> tuple[DataExport, str]:
    """Publish a photo, ask for the account's archive from the settings page, build it."""
    publish(user)
    client = web_as(user)
    response = run_commit_hooks(lambda: client.post(reverse("privacy:export_request")))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:settings") + "#data"
    export = DataExport.objects.get(user=user)
    assert export.status == "ready"
    url = selectors.data_export_download_url(export)
    assert url
    return export, url


def test_settings_show_the_request_button_then_the_progress_then_the_link(
    make_user, publish, run_commit_hooks, django_capture_on_commit_callbacks
) -> None:
    ana = make_user("ana")
    client = web_as(ana)
    page = client.get(reverse("accounts:settings")).content.decode()
    assert "Download your data" in page
    assert "Request archive" in page
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("privacy:export_request"))
    DataExport.objects.filter(user=ana).update(status="running", progress=42)
    panel = client.get(reverse("privacy:export_panel")).content.decode()
    assert 'aria-valuenow="42"' in panel
    assert "42%" in panel
    assert 'hx-trigger="every 2s"' in panel  # keeps polling while the job runs
    DataExport.objects.filter(user=ana).delete()
    _export, url = ready_export(ana, publish, run_commit_hooks)
    panel = client.get(reverse("privacy:export_panel")).content.decode()
    assert url in panel
    assert "hx-trigger" not in panel
    # The link is signed with the second it was made: the page holds the same export's link,
    # signed when the page was drawn (which may be a second after the panel's).
    same_export = url.split(":")[0]
    assert same_export in client.get(reverse("accounts:settings")).content.decode()


def test_the_owner_downloads_the_archive_with_the_session(
    make_user, publish, run_commit_hooks
) -> None:
    ana = make_user("ana")
    _export, url = ready_export(ana, publish, run_commit_hooks)
    response = web_as(ana).get(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert {"private", "no-store"} <= set(response["Cache-Control"].replace(",", " ").split())
    assert "posts.json" in open_zip(body_of(response)).namelist()


@pytest.mark.parametrize("who", ["stranger", "follower", "blocked"])
def test_another_account_cannot_download_and_nothing_changes(
    make_user, publish, run_commit_hooks, who: str
) -> None:
    ana, other = make_user("ana"), make_user("bea")
    if who == "follower":
        graph.follow_create(follower=other, followee=ana)
    if who == "blocked":
        graph.block_create(blocker=ana, blocked=other)
    _export, url = ready_export(ana, publish, run_commit_hooks)
    files = stored_files()
    before = list(DataExport.objects.values_list())
    assert web_as(other).get(url).status_code == 404
    client = api_as(other)
    assert client.client.get(url, HTTP_AUTHORIZATION=f"Bearer {client.token}").status_code == 404
    assert list(DataExport.objects.values_list()) == before
    assert stored_files() == files


def test_anonymous_is_sent_to_log_in_and_a_forged_link_is_a_404(
    make_user, publish, run_commit_hooks
) -> None:
    ana = make_user("ana")
    export, url = ready_export(ana, publish, run_commit_hooks)
    response = web_as(None).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    bad = web_as(None).get(url, HTTP_AUTHORIZATION="Bearer glp_not-a-token")
    assert bad.status_code == 302
    forged = reverse("privacy:export_download", args=[f"{export.pk}:{ana.pk}"])
    assert web_as(ana).get(forged).status_code == 404
    assert web_as(None).post(reverse("privacy:export_request")).status_code == 302
    assert DataExport.objects.count() == 1
