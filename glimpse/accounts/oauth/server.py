"""The OAuth 2 server the provider runs: oauthlib's, with PKCE limited to S256."""

from __future__ import annotations

from typing import Any

from oauthlib.oauth2 import Server
from oauthlib.oauth2.rfc6749.grant_types.authorization_code import code_challenge_method_s256


class GlimpseServer(Server):
    """oauthlib's server, refusing the ``plain`` PKCE method when the app asks for consent.

    The provider refuses ``plain`` too, but only once the account has approved; refusing it
    here sends the app its error before any consent page is shown. A challenge without a
    method means ``plain`` (RFC 7636), so it is refused the same way.
    """

    def __init__(self, request_validator: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(request_validator, *args, **kwargs)
        self.auth_grant._code_challenge_methods = {"S256": code_challenge_method_s256}
