"""Federation: Glimpse as an ActivityPub server (docs/federation.md)."""
