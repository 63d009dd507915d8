"""The Mastodon client API: existing phone apps talk to Glimpse as to a Mastodon server.

A mapping, not a second product: every endpoint parses Mastodon's request, calls the same
service or selector Glimpse's own API calls, and renders Mastodon's shape.
"""
