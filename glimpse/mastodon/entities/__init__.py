"""Mastodon's entities, each a thin mapping of Glimpse's presenter of the same thing."""
