"""Actors' key pairs: their format, one per actor made on first need (even when two requests
ask at once), rotation, and a private key that appears nowhere public."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.hashes import SHA256
from django.db import IntegrityError, transaction

from glimpse.core.ids import shard_of
from glimpse.federation.keys import actor_key, generate_key_pair, rotate_actor_key
from glimpse.federation.models import ActorKey
from tests.threads import run_at_once, writable_by_threads


def test_a_generated_pair_is_rsa_2048_in_pkcs8_and_spki_and_its_halves_match() -> None:
    private_pem, public_pem = generate_key_pair()
    private = serialization.load_pem_private_key(private_pem.encode(), password=None)
    public = serialization.load_pem_public_key(public_pem.encode())
    # PKCS#8 unencrypted and SubjectPublicKeyInfo: written again in those forms, byte for byte.
    pkcs8 = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    spki = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert (pkcs8.decode(), spki.decode()) == (private_pem, public_pem)
    assert isinstance(private, rsa.RSAPrivateKey)
    assert isinstance(public, rsa.RSAPublicKey)
    assert private.key_size == 2048
    signature = private.sign(b"hello", padding.PKCS1v15(), SHA256())
    public.verify(signature, b"hello", padding.PKCS1v15(), SHA256())  # raises if they differ


def test_two_pairs_differ() -> None:
    assert generate_key_pair()[0] != generate_key_pair()[0]


@pytest.mark.django_db
def test_an_account_key_is_made_on_first_need_and_then_kept(make_user) -> None:
    ana = make_user("ana")
    assert not ActorKey.objects.filter(user=ana).exists()
    first = actor_key(ana)
    second = actor_key(ana)
    assert first.pk == second.pk
    assert first.public_pem == second.public_pem
    assert ActorKey.objects.filter(user=ana).count() == 1


@pytest.mark.django_db
def test_the_instance_has_one_key_of_its_own(make_user) -> None:
    ana_key = actor_key(make_user("ana"))
    instance = actor_key(None)
    assert instance.user_id is None
    assert instance.public_pem != ana_key.public_pem
    assert actor_key(None).pk == instance.pk
    assert ActorKey.objects.filter(user__isnull=True).count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_instance_key() -> None:
    actor_key(None)
    private_pem, public_pem = generate_key_pair()
    with pytest.raises(IntegrityError), transaction.atomic():
        ActorKey.objects.create(user=None, private_pem=private_pem, public_pem=public_pem)
    assert ActorKey.objects.count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_key_for_an_account(make_user) -> None:
    ana = make_user("ana")
    actor_key(ana)
    private_pem, public_pem = generate_key_pair()
    with pytest.raises(IntegrityError), transaction.atomic():
        ActorKey.objects.create(user=ana, private_pem=private_pem, public_pem=public_pem)
    assert ActorKey.objects.count() == 1


@pytest.mark.django_db
def test_rotation_replaces_the_pair_in_place(make_user) -> None:
    ana = make_user("ana")
    old = actor_key(ana)
    new = rotate_actor_key(ana)
    assert new.pk == old.pk
    assert new.public_pem != old.public_pem
    assert new.private_pem != old.private_pem
    assert actor_key(ana).public_pem == new.public_pem
    assert ActorKey.objects.filter(user=ana).count() == 1


@pytest.mark.django_db
def test_rotation_makes_a_key_for_an_actor_without_one(make_user) -> None:
    ana = make_user("ana")
    key = rotate_actor_key(ana)
    assert ActorKey.objects.get(user=ana).public_pem == key.public_pem


@pytest.mark.django_db
def test_an_account_key_stays_on_its_owners_shard(make_user) -> None:
    ana = make_user("ana")
    assert shard_of(actor_key(ana).pk) == shard_of(ana.pk)


@pytest.mark.django_db(transaction=True)
def test_requests_asking_at_once_for_a_missing_key_make_one(make_user, tmp_path: Path) -> None:
    ana = make_user("ana")
    with writable_by_threads(tmp_path) as use:
        calls = [partial(actor_key, ana)] * 4 + [partial(actor_key, None)] * 4
        keys = run_at_once(calls, use=use)
        assert len({key.public_pem for key in keys[:4]}) == 1
        assert len({key.public_pem for key in keys[4:]}) == 1
        assert ActorKey.objects.filter(user=ana).count() == 1
        assert ActorKey.objects.filter(user__isnull=True).count() == 1
        assert ActorKey.objects.get(user=ana).public_pem == keys[0].public_pem
