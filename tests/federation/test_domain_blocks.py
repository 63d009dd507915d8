"""Instance moderation: who may block a server, and what silencing, suspending and rejecting
its media do (and undo when lifted)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Permission

from glimpse.accounts.models import User
from glimpse.accounts.services import account_ban, remote_account_create
from glimpse.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from glimpse.federation.delivery.services import deliver_activity, delivery_attempt
from glimpse.federation.domain_blocks import selectors, services
from glimpse.federation.domain_blocks.models import DomainBlock
from glimpse.federation.domain_policy import domain_silenced, domain_suspended, media_rejected
from glimpse.federation.fetch import FetchRefused, fetch_json, fetch_media
from glimpse.federation.models import Delivery, DeliveryState, InboxActivity
from glimpse.feeds.explore import explore_eligible
from glimpse.graph import services as graph
from glimpse.graph.models import Follow, LimitedDomain
from glimpse.graph.visibility import account_visible
from glimpse.media.models import MediaItem
from glimpse.posts.models import Post
from glimpse.posts.selectors import hashtag_get, hashtag_recent_posts
from glimpse.search.selectors import search_accounts, search_posts
from tests.federation.incoming_fixtures import create, followed, mastodon_photo, note
from tests.federation.remote_server import Remote, peer
from tests.posts.conftest import follow, media_for, publish

__all__ = ["media_for", "publish"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(make_user: Callable[..., User]) -> User:
    mod = make_user("mod")
    mod.user_permissions.add(Permission.objects.get(codename="moderate"))
    return User.objects.get(pk=mod.pk)


@pytest.fixture
def moderate(moderator: User, django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Call a domain block service as the moderator, and run its job as a commit would."""

    def call(service: Callable[..., Any], **arguments: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return service(moderator=moderator, **arguments)

    return call


def remote_user(name: str) -> User:
    return remote_account_create(
        username=name, display_name="", bio="", is_private=False, remote_url=f"https://{name}"
    )


def snapshot() -> list[Any]:
    return [
        list(DomainBlock.objects.values_list("domain", "severity", "reject_media")),
        list(LimitedDomain.objects.values_list("domain", flat=True)),
        list(User.objects.order_by("pk").values_list("pk", "is_active", "suspended_until")),
        list(Follow.objects.values_list("follower_id", "followee_id")),
    ]


# --- Who may ----------------------------------------------------------------------------------


def test_only_moderators_manage_domain_blocks(
    make_user: Callable[..., User], moderator: User
) -> None:
    someone = make_user("someone")
    blocked = make_user("blocked")
    graph.block_create(blocker=moderator, blocked=blocked)
    block = services.domain_block_create(moderator=moderator, domain="bad.test", severity="silence")
    before = snapshot()
    for user in (someone, blocked):
        with pytest.raises(PermissionDenied):
            services.domain_block_create(moderator=user, domain="worse.test", severity="suspend")
        with pytest.raises(PermissionDenied):
            services.domain_block_update(
                moderator=user,
                block_id=block.pk,
                severity="suspend",
                reject_media=True,
                private_comment="",
                public_comment="",
            )
        with pytest.raises(PermissionDenied):
            services.domain_block_delete(moderator=user, block_id=block.pk)
        with pytest.raises(PermissionDenied):
            selectors.domain_blocks_list(viewer=user)
    assert snapshot() == before


def test_bad_input_is_refused_and_nothing_is_written(moderator: User, settings: Any) -> None:
    settings.GLIMPSE_SITE_URL = "https://glimpse.example"
    for domain, severity in (
        ("not a domain", "silence"),
        ("bad.test", "obliterate"),
        ("glimpse.example", "suspend"),
        ("10.0.0.1", "suspend"),
    ):
        with pytest.raises(InvalidInput):
            services.domain_block_create(moderator=moderator, domain=domain, severity=severity)
    assert not DomainBlock.objects.exists()
    services.domain_block_create(
        moderator=moderator, domain="https://Bad.Test/@x", severity="silence"
    )
    with pytest.raises(Conflict):
        services.domain_block_create(moderator=moderator, domain="bad.test", severity="suspend")
    assert list(DomainBlock.objects.values_list("domain", "severity")) == [("bad.test", "silence")]
    with pytest.raises(NotFound):
        services.domain_block_delete(moderator=moderator, block_id=123456)


def test_the_policy_matches_subdomains_and_the_most_specific_block_rules(moderator: User) -> None:
    services.domain_block_create(moderator=moderator, domain="bad.test", severity="suspend")
    services.domain_block_create(
        moderator=moderator, domain="ok.bad.test", severity="silence", reject_media=True
    )
    assert domain_suspended("bad.test")
    assert domain_suspended("Deep.Sub.BAD.test:8443")
    assert not domain_suspended("notbad.test")
    assert not domain_suspended("bad.test.example")
    assert not domain_suspended("ok.bad.test")
    assert domain_silenced("x.ok.bad.test")
    assert media_rejected("ok.bad.test")
    assert media_rejected("bad.test")
    assert not media_rejected("good.test")
    assert not domain_silenced("good.test")


# --- Suspend ----------------------------------------------------------------------------------


def test_a_suspended_servers_activities_are_taken_and_forgotten(
    remote: Remote, moderator: User
) -> None:
    alice = peer(remote, "alice")
    services.domain_block_create(moderator=moderator, domain="remote.test", severity="suspend")
    response = alice.send(alice.activity("Like", "https://glimpse.example/p/1/"))
    assert response.status_code == 202
    assert not InboxActivity.objects.exists()
    # Nothing was fetched to check the signature: the server was not asked for the key.
    assert remote.asked("/users/alice") == []


def test_a_suspended_server_is_neither_fetched_nor_sent_anything(
    remote: Remote, moderator: User, make_user: Callable[..., User]
) -> None:
    ana = make_user("ana")
    services.domain_block_create(moderator=moderator, domain="remote.test", severity="suspend")
    with pytest.raises(FetchRefused, match="suspended"):
        fetch_json(remote.url("/users/alice"))
    with pytest.raises(FetchRefused, match="suspended"):
        fetch_json(remote.url("/users/alice", host="sub.remote.test"))
    sent = deliver_activity(
        activity={"type": "Note"},
        actor=ana,
        inboxes=[remote.url("/inbox"), remote.url("/inbox", host="other.test")],
    )
    assert sent == 1
    assert list(Delivery.objects.values_list("domain", flat=True)) == ["other.test"]


def test_a_delivery_queued_before_the_suspension_is_given_up(
    remote: Remote, moderator: User, make_user: Callable[..., User]
) -> None:

    ana = make_user("ana")
    services.domain_block_create(moderator=moderator, domain="remote.test", severity="silence")
    deliver_activity(activity={"type": "Note"}, actor=ana, inboxes=[remote.url("/later/inbox")])
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.PENDING, lease_until=None)
    block = DomainBlock.objects.get()
    services.domain_block_update(
        moderator=moderator,
        block_id=block.pk,
        severity="suspend",
        reject_media=False,
        private_comment="",
        public_comment="",
    )
    assert delivery_attempt(delivery_id=delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED
    assert "suspended" in delivery.last_error


def test_suspending_hides_the_accounts_ends_follows_and_lifting_shows_them_again(
    make_user: Callable[..., User], moderate: Callable[..., Any], moderator: User
) -> None:
    ana, ben = make_user("ana"), make_user("ben")
    bob, sub = remote_user("bob@bad.test"), remote_user("cy@eu.bad.test:8443")
    fine = remote_user("dee@fine.test")
    banned = remote_user("eve@bad.test")
    for a, b in ((ana, bob), (bob, ana), (ben, sub), (ana, fine)):
        follow(a, b)
    account_ban(user=banned)
    block = moderate(services.domain_block_create, domain="bad.test", severity="suspend")
    for account in (bob, sub, banned):
        account.refresh_from_db()
        assert not account.is_active
        assert not account_visible(ana, account)
    fine.refresh_from_db()
    assert fine.is_active
    assert list(Follow.objects.values_list("follower_id", "followee_id")) == [(ana.pk, fine.pk)]
    ana.refresh_from_db()
    assert (ana.follower_count, ana.following_count) == (0, 1)
    assert selectors.domain_reach(viewer=moderator, domain="bad.test").accounts == 3

    moderate(services.domain_block_delete, block_id=block.pk)
    for account in (bob, sub, banned):
        account.refresh_from_db()
    assert bob.is_active
    assert sub.is_active
    assert account_visible(ana, bob)
    assert not banned.is_active  # a ban is the moderators' own decision: it stays
    # Follows are not restored: their servers were told nothing, and people follow again.
    assert Follow.objects.count() == 1


def test_applying_twice_changes_nothing_more(moderate: Callable[..., Any]) -> None:
    bob = remote_user("bob@bad.test")
    moderate(services.domain_block_create, domain="bad.test", severity="suspend")
    assert services.domain_block_apply(domain="bad.test") == (0, 0, 0)
    bob.refresh_from_db()
    assert not bob.is_active


# --- Silence ----------------------------------------------------------------------------------


def test_silencing_keeps_posts_out_of_public_surfaces_for_non_followers(
    make_user: Callable[..., User], moderate: Callable[..., Any], publish: Callable[..., Post]
) -> None:
    fan, stranger = make_user("fan"), make_user("stranger")
    bob = remote_user("bob@loud.test")
    follow(fan, bob)
    post = publish(bob, caption="sunset #shore")

    def shown(viewer: User | None) -> dict[str, list[int]]:
        tag = hashtag_get(viewer=viewer, name="shore")
        return {
            "tag": [p.pk for p in hashtag_recent_posts(viewer=viewer, hashtag=tag).items],
            "search": [view.id for view in search_posts(viewer=viewer, q="sunset")],
            "accounts": [u.pk for u in search_accounts(viewer=viewer, q="bob")],
        }

    def explore(viewer: User) -> list[int]:
        return list(explore_eligible(viewer).values_list("pk", flat=True))

    everything = {"tag": [post.pk], "search": [post.pk], "accounts": [bob.pk]}
    assert shown(stranger) == everything
    assert explore(stranger) == [post.pk]
    block = moderate(services.domain_block_create, domain="loud.test", severity="silence")
    assert shown(stranger) == shown(None) == {"tag": [], "search": [], "accounts": []}
    assert explore(stranger) == []
    assert shown(fan) == everything  # followers still see it
    bob.refresh_from_db()
    assert bob.is_active
    assert account_visible(stranger, bob)
    moderate(services.domain_block_delete, block_id=block.pk)
    assert shown(stranger) == everything
    assert explore(stranger) == [post.pk]


# --- Media ------------------------------------------------------------------------------------


def test_rejected_media_are_not_fetched(remote: Remote, moderator: User) -> None:
    remote.serve("/media/a.png", {}, kind="image/png")
    services.domain_block_create(
        moderator=moderator, domain="remote.test", severity="silence", reject_media=True
    )
    with pytest.raises(FetchRefused, match="rejected"):
        fetch_media(remote.url("/media/a.png"), max_bytes=1000, allowed_types=["image/*"])
    assert remote.asked("/media/a.png") == []


def test_a_server_whose_media_are_rejected_has_no_post_here_even_from_another_host(
    remote: Remote, moderator: User, make_user: Callable[..., User]
) -> None:
    ana, alice = make_user("ana"), peer(remote, "alice")
    followed(alice, by=ana)
    services.domain_block_create(
        moderator=moderator, domain=remote.host.split(":")[0], severity="silence",
        reject_media=True,
    )  # fmt: skip
    photo = mastodon_photo(remote)
    # The server keeps its files on another host, which no block names.
    photo["url"] = photo["url"].replace("remote.test", "other.test")
    before = Post.objects.count()
    alice.send(create(alice, note(alice, attachment=[photo])))
    assert Post.objects.count() == before
    assert MediaItem.objects.filter(owner__username__endswith=remote.host).count() == 0
