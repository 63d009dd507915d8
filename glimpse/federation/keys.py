"""Actors' RSA key pairs: made on first need, one per actor, replaced by rotation.

Other servers check what an actor sends with the public key of its document; the private
key signs and is never shown, neither in a page nor in the admin.
"""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import transaction
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.federation.models import ActorKey

KEY_BITS = 2048
PUBLIC_EXPONENT = 65537


def generate_key_pair() -> tuple[str, str]:
    """Return a new RSA key pair as PEM texts: (private in PKCS#8, public as SPKI)."""
    key = rsa.generate_private_key(public_exponent=PUBLIC_EXPONENT, key_size=KEY_BITS)
    private = key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PublicFormat.SubjectPublicKeyInfo,
    )
    return private.decode("ascii"), public.decode("ascii")


def actor_key(user: User | None) -> ActorKey:
    """Return the key of an account, or of the instance with None, making it on first need.

    Two requests that both find no key both make a pair, but only one row is written (the
    actor's unique constraint): the other reads that row back and drops its own pair.
    """
    found = _find(user)
    if found is not None:
        return found
    private_pem, public_pem = generate_key_pair()
    key, _ = ActorKey.objects.get_or_create(
        user=user, defaults={"private_pem": private_pem, "public_pem": public_pem}
    )
    return key


def rotate_actor_key(user: User | None) -> ActorKey:
    """Replace an actor's key pair with a new one (made if it had none) and return it."""
    private_pem, public_pem = generate_key_pair()
    with transaction.atomic():
        key = ActorKey.objects.select_for_update().filter(user=user).first()
        if key is None:
            key, created = ActorKey.objects.get_or_create(
                user=user, defaults={"private_pem": private_pem, "public_pem": public_pem}
            )
            if created:
                return key
        key.private_pem, key.public_pem = private_pem, public_pem
        key.created_at = timezone.now()
        key.save(update_fields=["private_pem", "public_pem", "created_at"])
    return key


def _find(user: User | None) -> ActorKey | None:
    return ActorKey.objects.filter(user=user).first()
