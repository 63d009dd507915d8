"""The product's version, as pyproject.toml names it: what the client API, nodeinfo and the
requests Glimpse sends to other servers say it runs."""

GLIMPSE_VERSION = "0.1.0"
