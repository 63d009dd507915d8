"""The OAuth 2 provider: apps that act for an account, within the scopes it granted them.

The protocol itself is django-oauth-toolkit's; this package holds what Glimpse decides: the
scopes and their hierarchy, app registration, the consent page, turning a bearer secret into
an account and its scopes, and the list of authorised apps in the account settings.
"""
