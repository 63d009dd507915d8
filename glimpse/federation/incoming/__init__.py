"""What Glimpse does with each kind of activity another server sends (docs/federation.md,
"Activities received"): one module per family of activities, each registering its handlers
with ``registry.handles``."""
