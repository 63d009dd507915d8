"""The graph's services: every rule, exact counts, idempotency, and what refusals leave."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glimpse.accounts.models import User
from glimpse.accounts.services import profile_update
from glimpse.core.errors import InvalidInput, NotFound
from glimpse.graph import selectors, services
from glimpse.graph.models import Block, Follow, FollowRequest, Mute
from glimpse.privacy.erase import account_delete
from tests.conftest import PASSWORD
from tests.graph.conftest import counts, follow_approved, graph_state

pytestmark = pytest.mark.django_db

MakeUser = Callable[..., User]


@pytest.fixture
def ana(make_user: MakeUser) -> User:
    return make_user("ana")


@pytest.fixture
def ben(make_user: MakeUser) -> User:
    return make_user("ben")


@pytest.fixture
def pia(make_user: MakeUser) -> User:
    """A private account."""
    return make_user("pia", is_private=True)


def request_of(requester: User, target: User) -> FollowRequest:
    return FollowRequest.objects.get(requester=requester, target=target)


# --- Follow and unfollow ------------------------------------------------------------------


def test_following_a_public_account_counts_on_both_sides(ana: User, ben: User) -> None:
    assert services.follow_create(follower=ana, followee=ben) == "following"
    assert Follow.objects.filter(follower=ana, followee=ben).exists()
    assert counts(ana) == (0, 1)
    assert counts(ben) == (1, 0)


def test_following_twice_changes_nothing(ana: User, ben: User) -> None:
    services.follow_create(follower=ana, followee=ben)
    before = graph_state()
    assert services.follow_create(follower=ana, followee=ben) == "following"
    assert graph_state() == before
    assert counts(ben) == (1, 0)


def test_unfollowing_brings_counts_back_and_twice_is_harmless(ana: User, ben: User) -> None:
    services.follow_create(follower=ana, followee=ben)
    services.follow_delete(follower=ana, followee=ben)
    assert not Follow.objects.exists()
    assert counts(ana) == (0, 0)
    assert counts(ben) == (0, 0)
    services.follow_delete(follower=ana, followee=ben)
    assert counts(ana) == (0, 0)
    assert counts(ben) == (0, 0)


def test_counts_never_go_below_zero(ana: User, ben: User) -> None:
    services.follow_create(follower=ana, followee=ben)
    # Counts that drifted (restored from an old backup, say) are clamped, never negative.
    User.objects.filter(pk__in=[ana.pk, ben.pk]).update(follower_count=0, following_count=0)
    services.follow_delete(follower=ana, followee=ben)
    assert counts(ana) == (0, 0)
    assert counts(ben) == (0, 0)


@pytest.mark.parametrize(
    "write",
    [
        lambda a: services.follow_create(follower=a, followee=a),
        lambda a: services.follow_delete(follower=a, followee=a),
        lambda a: services.follower_remove(owner=a, follower=a),
        lambda a: services.block_create(blocker=a, blocked=a),
        lambda a: services.block_delete(blocker=a, blocked=a),
        lambda a: services.mute_create(muter=a, muted=a),
        lambda a: services.mute_delete(muter=a, muted=a),
    ],
    ids=["follow", "unfollow", "remove", "block", "unblock", "mute", "unmute"],
)
def test_nothing_can_be_done_to_oneself(ana: User, write: Callable[[User], object]) -> None:
    before = graph_state()
    with pytest.raises(InvalidInput) as refused:
        write(ana)
    assert refused.value.status == 422
    assert refused.value.code == "self"
    assert graph_state() == before


def test_inactive_accounts_cannot_be_followed(ana: User, make_user: MakeUser) -> None:
    gone = make_user("gone", is_active=False)
    before = graph_state()
    with pytest.raises(NotFound):
        services.follow_create(follower=ana, followee=gone)
    assert graph_state() == before


# --- Private accounts and requests --------------------------------------------------------


def test_following_a_private_account_is_a_request(ana: User, pia: User) -> None:
    assert services.follow_create(follower=ana, followee=pia) == "requested"
    assert services.follow_create(follower=ana, followee=pia) == "requested"
    assert FollowRequest.objects.filter(requester=ana, target=pia).count() == 1
    assert not Follow.objects.exists()
    assert counts(pia) == (0, 0)
    assert counts(ana) == (0, 0)


def test_approving_a_request_makes_a_follower(ana: User, pia: User) -> None:
    services.follow_create(follower=ana, followee=pia)
    services.follow_request_approve(owner=pia, request_id=request_of(ana, pia).pk)
    assert Follow.objects.filter(follower=ana, followee=pia).exists()
    assert not FollowRequest.objects.exists()
    assert counts(pia) == (1, 0)
    assert counts(ana) == (0, 1)
    # Following an account one already follows stays "following", private or not.
    assert services.follow_create(follower=ana, followee=pia) == "following"


def test_denying_a_request_leaves_no_follower(ana: User, pia: User) -> None:
    services.follow_create(follower=ana, followee=pia)
    request_id = request_of(ana, pia).pk
    services.follow_request_deny(owner=pia, request_id=request_id)
    assert not FollowRequest.objects.exists()
    assert not Follow.objects.exists()
    assert counts(pia) == (0, 0)
    with pytest.raises(NotFound):
        services.follow_request_deny(owner=pia, request_id=request_id)
    with pytest.raises(NotFound):
        services.follow_request_approve(owner=pia, request_id=request_id)
    assert not Follow.objects.exists()


def test_the_requester_can_cancel(ana: User, pia: User) -> None:
    services.follow_create(follower=ana, followee=pia)
    services.follow_delete(follower=ana, followee=pia)
    assert not FollowRequest.objects.exists()
    assert counts(pia) == (0, 0)


def test_only_the_target_can_approve_or_deny(ana: User, ben: User, pia: User) -> None:
    services.follow_create(follower=ana, followee=pia)
    request_id = request_of(ana, pia).pk
    before = graph_state()
    for someone in (ana, ben):  # the requester itself, and a stranger
        with pytest.raises(NotFound):
            services.follow_request_approve(owner=someone, request_id=request_id)
        with pytest.raises(NotFound):
            services.follow_request_deny(owner=someone, request_id=request_id)
    assert graph_state() == before


def test_making_an_account_public_approves_every_pending_request(
    pia: User, make_user: MakeUser, django_capture_on_commit_callbacks: Any
) -> None:
    askers = [make_user(f"asker{i}") for i in range(5)]
    for asker in askers:
        assert services.follow_create(follower=asker, followee=pia) == "requested"
    with django_capture_on_commit_callbacks(execute=True):  # approved once the change commits
        profile_update(user=pia, is_private=False)
    assert not FollowRequest.objects.exists()
    assert set(Follow.objects.filter(followee=pia).values_list("follower_id", flat=True)) == {
        asker.pk for asker in askers
    }
    assert counts(pia) == (5, 0)
    assert all(counts(asker) == (0, 1) for asker in askers)


def test_making_an_account_private_keeps_its_followers(
    ana: User, ben: User, make_user: MakeUser
) -> None:
    services.follow_create(follower=ana, followee=ben)
    profile_update(user=ben, is_private=True)
    assert Follow.objects.filter(follower=ana, followee=ben).exists()
    assert counts(ben) == (1, 0)
    # A newcomer must ask now.
    assert services.follow_create(follower=make_user("cid"), followee=ben) == "requested"


def test_approve_all_answers_how_many(pia: User, make_user: MakeUser) -> None:
    assert services.follow_requests_approve_all(owner=pia) == 0
    for i in range(3):
        services.follow_create(follower=make_user(f"a{i}"), followee=pia)
    assert services.follow_requests_approve_all(owner=pia) == 3
    assert counts(pia) == (3, 0)


def test_remove_follower(ana: User, ben: User) -> None:
    services.follow_create(follower=ana, followee=ben)
    services.follower_remove(owner=ben, follower=ana)
    assert not Follow.objects.exists()
    assert counts(ben) == (0, 0)
    assert counts(ana) == (0, 0)
    services.follower_remove(owner=ben, follower=ana)  # not a follower any more: fine
    assert counts(ben) == (0, 0)


def test_remove_follower_touches_only_the_owners_followers(
    ana: User, ben: User, make_user: MakeUser
) -> None:
    stranger = make_user("stranger")
    services.follow_create(follower=ana, followee=ben)
    before = graph_state()
    services.follower_remove(owner=stranger, follower=ana)
    assert graph_state() == before


# --- Blocks -------------------------------------------------------------------------------


def test_block_removes_follows_and_requests_both_ways(
    ana: User, pia: User, make_user: MakeUser
) -> None:
    other = make_user("other")
    follow_approved(ana, pia)
    services.follow_create(follower=pia, followee=ana)  # public: pia follows ana
    services.follow_create(follower=other, followee=ana)
    assert counts(ana) == (2, 1)
    assert counts(pia) == (1, 1)
    services.block_create(blocker=ana, blocked=pia)
    assert not Follow.objects.filter(follower__in=[ana, pia], followee__in=[ana, pia]).exists()
    assert counts(ana) == (1, 0)
    assert counts(pia) == (0, 0)
    assert Block.objects.filter(blocker=ana, blocked=pia).exists()


def test_block_cancels_requests_both_ways(make_user: MakeUser) -> None:
    one = make_user("one", is_private=True)
    two = make_user("two", is_private=True)
    services.follow_create(follower=one, followee=two)
    services.follow_create(follower=two, followee=one)
    assert FollowRequest.objects.count() == 2
    services.block_create(blocker=two, blocked=one)
    assert not FollowRequest.objects.exists()


def test_blocked_pairs_cannot_follow_or_mute_each_other(ana: User, ben: User) -> None:
    services.block_create(blocker=ana, blocked=ben)
    before = graph_state()
    for follower, followee in ((ana, ben), (ben, ana)):
        with pytest.raises(NotFound) as refused:
            services.follow_create(follower=follower, followee=followee)
        assert refused.value.message == services.MISSING_ACCOUNT
        with pytest.raises(NotFound):
            services.mute_create(muter=follower, muted=followee)
    # The blocked side cannot block back (it does not see the account any more).
    with pytest.raises(NotFound):
        services.block_create(blocker=ben, blocked=ana)
    assert graph_state() == before


def test_block_is_idempotent_and_unblock_restores_nothing(ana: User, ben: User) -> None:
    services.follow_create(follower=ana, followee=ben)
    services.block_create(blocker=ana, blocked=ben)
    before = graph_state()
    services.block_create(blocker=ana, blocked=ben)
    assert graph_state() == before
    services.block_delete(blocker=ana, blocked=ben)
    services.block_delete(blocker=ana, blocked=ben)
    assert not Block.objects.exists()
    assert not Follow.objects.exists()
    assert counts(ben) == (0, 0)
    assert services.follow_create(follower=ana, followee=ben) == "following"


def test_the_blocked_side_cannot_unblock(ana: User, ben: User) -> None:
    services.block_create(blocker=ana, blocked=ben)
    before = graph_state()
    services.block_delete(blocker=ben, blocked=ana)  # ben has no block of his own to lift
    assert graph_state() == before


# --- Mutes --------------------------------------------------------------------------------


def test_mute_and_unmute_are_idempotent(ana: User, ben: User) -> None:
    services.mute_create(muter=ana, muted=ben)
    services.mute_create(muter=ana, muted=ben)
    assert Mute.objects.filter(muter=ana, muted=ben).count() == 1
    services.mute_delete(muter=ana, muted=ben)
    services.mute_delete(muter=ana, muted=ben)
    assert not Mute.objects.exists()


def test_mute_keeps_follows(ana: User, ben: User) -> None:
    services.follow_create(follower=ana, followee=ben)
    services.mute_create(muter=ana, muted=ben)
    assert Follow.objects.filter(follower=ana, followee=ben).exists()
    assert counts(ben) == (1, 0)


# --- Lists and deletion -------------------------------------------------------------------


def test_lists_are_newest_first_and_scoped(ana: User, make_user: MakeUser) -> None:
    fans = [make_user(f"fan{i}") for i in range(3)]
    for fan in fans:
        services.follow_create(follower=fan, followee=ana)
    listed = [edge.follower.username for edge in selectors.followers_list(viewer=None, account=ana)]
    assert listed == ["fan2", "fan1", "fan0"]
    following = selectors.following_list(viewer=ana, account=fans[0])
    assert [edge.followee.username for edge in following] == ["ana"]
    services.block_create(blocker=ana, blocked=fans[1])
    assert selectors.blocked_list(owner=ana).get().blocked == fans[1]
    assert not selectors.blocked_list(owner=fans[1]).exists()
    services.mute_create(muter=ana, muted=fans[2])
    assert selectors.muted_list(owner=ana).get().muted == fans[2]
    assert not selectors.muted_list(owner=fans[2]).exists()


def test_private_lists_are_refused_to_non_followers(pia: User, ana: User, ben: User) -> None:
    follow_approved(ana, pia)
    assert selectors.followers_list(viewer=ana, account=pia).count() == 1
    assert selectors.followers_list(viewer=pia, account=pia).count() == 1
    for viewer in (None, ben):
        with pytest.raises(NotFound) as refused:
            selectors.followers_list(viewer=viewer, account=pia)
        assert refused.value.message == services.MISSING_ACCOUNT
        with pytest.raises(NotFound):
            selectors.following_list(viewer=viewer, account=pia)


def test_deleting_an_account_keeps_the_others_counts_exact(ana: User, ben: User, pia: User) -> None:
    services.follow_create(follower=ana, followee=ben)
    services.follow_create(follower=ben, followee=ana)
    services.follow_create(follower=ana, followee=pia)
    services.mute_create(muter=ben, muted=ana)
    account_delete(user=ana, password=PASSWORD)
    assert counts(ben) == (0, 0)
    assert not Follow.objects.exists()
    assert not FollowRequest.objects.exists()
    assert not Mute.objects.exists()
