"""The client API's endpoints, one module per Mastodon resource."""
