"""Instance moderation: the servers this one silences or suspends (docs/federation.md,
"Moderation of other servers")."""
