"""Accounts of other servers (docs/federation.md, "Accounts of other servers"): their actor
documents checked and stored as Glimpse accounts, found by address or by ``@name@host``,
and their keys looked up to check what they sign."""
