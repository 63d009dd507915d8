"""Accounts moving between servers: aliases (``alsoKnownAs``), ``Move`` received and sent,
and the followers carried over (docs/federation.md, "Moving accounts")."""
