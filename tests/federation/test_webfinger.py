"""WebFinger and host-meta: finding this server's accounts and its own actor by name, by
address, and never an account the public may not see."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.utils import timezone

from glimpse.accounts.services import account_ban, account_suspend
from glimpse.federation.models import ActorKey
from glimpse.privacy.deletion import account_deletion_request
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SITE = "https://glimpse.example"
HOST = "glimpse.example"
WEBFINGER = "/.well-known/webfinger"


@pytest.fixture(autouse=True)
def federating(settings: Any) -> None:
    """Serve at a public https address, where federation is on."""
    settings.GLIMPSE_SITE_URL = SITE
    settings.GLIMPSE_FEDERATION = True


def finger(resource: str | None) -> Any:
    """Ask WebFinger about a resource (none at all when None)."""
    query = {} if resource is None else {"resource": resource}
    return Client().get(WEBFINGER, query)


def test_an_account_is_found_by_its_acct_uri(make_user) -> None:
    make_user("ana")
    response = finger(f"acct:ana@{HOST}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/jrd+json")
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert body["subject"] == f"acct:ana@{HOST}"
    assert body["aliases"] == [f"{SITE}/users/ana", f"{SITE}/ana/"]
    links = {link["rel"]: link for link in body["links"]}
    assert links["self"] == {
        "rel": "self",
        "type": "application/activity+json",
        "href": f"{SITE}/users/ana",
    }
    assert links["http://webfinger.net/rel/profile-page"]["href"] == f"{SITE}/ana/"
    assert links["http://webfinger.net/rel/profile-page"]["type"] == "text/html"


def test_the_name_and_the_host_are_matched_without_case(make_user) -> None:
    make_user("ana")
    response = finger("acct:Ana@GLIMPSE.Example")
    assert response.status_code == 200
    assert response.json()["subject"] == f"acct:ana@{HOST}"  # the canonical spelling


@pytest.mark.parametrize("address", [f"{SITE}/users/ana", f"{SITE}/ana/", f"{SITE}/ana"])
def test_an_account_is_found_by_its_actor_or_profile_address(make_user, address: str) -> None:
    make_user("ana")
    response = finger(address)
    assert response.status_code == 200
    assert response.json()["subject"] == f"acct:ana@{HOST}"


def test_the_instance_actor_is_found_by_the_host_as_name() -> None:
    response = finger(f"acct:{HOST}@{HOST}")
    assert response.status_code == 200
    body = response.json()
    assert body["subject"] == f"acct:{HOST}@{HOST}"
    self_link = next(link for link in body["links"] if link["rel"] == "self")
    assert self_link["href"] == f"{SITE}/actor"
    assert finger(f"{SITE}/actor").json()["subject"] == f"acct:{HOST}@{HOST}"


def test_finding_makes_no_key() -> None:
    finger(f"acct:{HOST}@{HOST}")
    assert not ActorKey.objects.exists()


def test_another_hosts_account_is_not_found(make_user) -> None:
    make_user("ana")
    assert finger("acct:ana@elsewhere.example").status_code == 404
    assert finger("https://elsewhere.example/users/ana").status_code == 404
    assert finger(f"acct:ana@{HOST}.evil.example").status_code == 404


def test_an_unknown_account_is_not_found() -> None:
    assert finger(f"acct:nobody@{HOST}").status_code == 404
    assert finger(f"{SITE}/users/nobody").status_code == 404
    assert finger(f"{SITE}/explore/tags/cats/").status_code == 404  # ours, but no actor


@pytest.mark.parametrize(
    "resource",
    [
        None,
        "",
        "ana",
        f"ana@{HOST}",
        "acct:ana",
        f"acct:@{HOST}",
        "acct:ana@",
        f"acct:@ana@{HOST}",
        "mailto:ana@glimpse.example",
        "https:///users/ana",
    ],
)
def test_a_malformed_resource_is_a_bad_request(make_user, resource: str | None) -> None:
    make_user("ana")
    response = finger(resource)
    assert response.status_code == 400


def test_banned_suspended_and_deactivated_accounts_are_not_found(make_user) -> None:
    banned, suspended, leaving, present = (make_user(n) for n in ("bo", "sue", "lea", "pia"))
    account_ban(user=banned)
    account_suspend(user=suspended, until=timezone.now() + timedelta(days=3))
    account_deletion_request(user=leaving, password=PASSWORD)  # deactivated until deleted
    for name in ("bo", "sue", "lea"):
        assert finger(f"acct:{name}@{HOST}").status_code == 404
        assert finger(f"{SITE}/users/{name}").status_code == 404
    assert finger(f"acct:{present.username}@{HOST}").status_code == 200


def test_a_private_account_is_found(make_user) -> None:
    make_user("ana", is_private=True)
    assert finger(f"acct:ana@{HOST}").status_code == 200


def test_host_meta_points_at_webfinger_in_xml_and_json() -> None:
    response = Client().get("/.well-known/host-meta")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xrd+xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own answer
    namespace = "{http://docs.oasis-open.org/ns/xri/xrd-1.0}"
    assert root.tag == f"{namespace}XRD"
    link = root.find(f"{namespace}Link")
    assert link is not None
    assert link.get("rel") == "lrdd"
    assert link.get("template") == f"{SITE}/.well-known/webfinger?resource={{uri}}"
    as_json = Client().get("/.well-known/host-meta.json")
    assert as_json.status_code == 200
    assert as_json.json() == {"links": [{"rel": "lrdd", "template": link.get("template")}]}


def test_without_a_site_address_the_requests_host_is_the_servers(settings, make_user) -> None:
    settings.GLIMPSE_SITE_URL = ""
    make_user("ana")
    response = Client().get(WEBFINGER, {"resource": "acct:ana@testserver"}, secure=True)
    assert response.status_code == 200
    assert response.json()["aliases"][0] == "https://testserver/users/ana"
    assert finger(f"acct:ana@{HOST}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        f"{WEBFINGER}?resource=acct:ana@{HOST}",
        "/.well-known/host-meta",
        "/.well-known/host-meta.json",
    ],
)
def test_nothing_is_found_while_the_server_does_not_federate(settings, make_user, path) -> None:
    settings.GLIMPSE_FEDERATION = False
    make_user("ana")
    assert Client().get(path).status_code == 404
    settings.GLIMPSE_FEDERATION = None
    settings.GLIMPSE_SITE_URL = "http://glimpse.example"  # plain http: off by default
    assert Client().get(path).status_code == 404
