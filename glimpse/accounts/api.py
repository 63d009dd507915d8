"""Accounts in the API: sign-up, tokens, the viewer's own profile, public profiles."""

from __future__ import annotations

from typing import Any

import orjson
from django.contrib.auth import logout
from django.http import HttpRequest
from ninja import File, Form, Router, Status, UploadedFile

from glimpse.accounts import selectors, services
from glimpse.accounts.auth import api_auth, request_oauth_token, request_token, request_user
from glimpse.accounts.models import ApiToken
from glimpse.accounts.oauth import services as oauth_services
from glimpse.accounts.presenters import LoginJson, MeJson, SessionJson, me_json
from glimpse.accounts.schemas import (
    LoginIn,
    LoginOut,
    MeOut,
    PasswordChangeIn,
    PasswordResetConfirmIn,
    PasswordResetIn,
    ProfilePatch,
    SessionOut,
    SignupIn,
    TokenCreatedOut,
    TokenIn,
    TokenListOut,
)
from glimpse.core.api import errors
from glimpse.core.errors import InvalidInput
from glimpse.core.http import client_ip
from glimpse.core.pagination import PageJson, cursor_json, paginate
from glimpse.core.throttle import address_identity

auth_router = Router(tags=["auth"])
accounts_router = Router(tags=["accounts"])


@auth_router.post("/signup", response={201: SessionOut, **errors(409, 422, 429)})
def signup(request: HttpRequest, payload: SignupIn) -> Status[SessionJson]:
    """Create an account; answers the account and a first API token."""
    services.signup_throttle(client_ip=client_ip(request))
    user = services.account_create(
        username=payload.username, email=payload.email, password=payload.password
    )
    _, secret = services.token_create(user=user, name="Sign-up")
    return Status(201, {"token": secret, "account": me_json(user)})


@auth_router.post("/token", response={200: LoginOut, **errors(401, 403, 409, 422, 429)})
def token_create(request: HttpRequest, payload: LoginIn) -> LoginJson:
    """Log in with a username (or email) and password; answers a new API token.

    A banned or suspended account is a 403; logging in to an account waiting for its
    deletion cancels the deletion and says so in ``notice``. An account that holds the most
    tokens it may have is a 409 (revoke one first). An account with two-factor sign-in
    needs `otp` too: without it the answer is a 403 `two_factor_required`, with a wrong or
    used code a 401 `invalid_code`.
    """
    address = address_identity(request)
    result = services.account_authenticate(
        login=payload.username, password=payload.password, address=address
    )
    result = services.second_factor_check(result=result, code=payload.otp, address=address)
    _, secret = services.token_create(user=result.user, name=payload.token_name)
    return {"token": secret, "account": me_json(result.user), "notice": result.notice or None}


@auth_router.delete("/token", auth=api_auth, response={204: None, **errors(401, 403)})
def token_delete(request: HttpRequest) -> Status[None]:
    """Log out: revoke the token this request carries, or end the web session."""
    user = request_user(request)
    token = request_token(request)
    access = request_oauth_token(request)
    if token is not None:
        services.token_revoke(user=user, token_id=token.id)
    elif access is not None:
        oauth_services.oauth_token_revoke(user=user, access_token_id=access.pk)
    else:
        logout(request)
    return Status(204, None)


@auth_router.post("/password-reset", response={202: None, **errors(422, 429)})
def password_reset(request: HttpRequest, payload: PasswordResetIn) -> Status[None]:
    """Email a reset link to the account using this address, if there is one."""
    services.password_reset_request(email=payload.email, client_ip=client_ip(request))
    return Status(202, None)


@auth_router.post("/password-reset/confirm", response={204: None, **errors(422)})
def password_reset_confirm(request: HttpRequest, payload: PasswordResetConfirmIn) -> Status[None]:
    """Set a new password with the uid and token of an emailed link."""
    services.password_reset_confirm(
        uidb64=payload.uid, token=payload.token, new_password=payload.new_password
    )
    return Status(204, None)


@accounts_router.get("/me", auth=api_auth, response={200: MeOut, **errors(401)})
def me(request: HttpRequest) -> MeJson:
    """The viewer's own profile and settings."""
    return me_json(request_user(request))


@accounts_router.patch("/me", auth=api_auth, response={200: MeOut, **errors(401, 403, 422)})
def me_update(request: HttpRequest, payload: ProfilePatch) -> MeJson:
    """Change the viewer's profile; fields left out keep their value."""
    user = services.profile_update(user=request_user(request), **payload.dict(exclude_unset=True))
    return me_json(user)


@accounts_router.post(
    "/me/avatar", auth=api_auth, response={200: MeOut, **errors(401, 403, 413, 415, 422, 429)}
)
def avatar_upload(
    request: HttpRequest, file: File[UploadedFile], crop: Form[str | None] = None
) -> MeJson:
    """Set the profile picture from an uploaded photo (made square, metadata removed).

    `crop` is JSON: `{"x", "y", "width", "height", "rotation"}`, a square in fractions of
    the photo turned clockwise by `rotation` (0, 90, 180, 270); the centred square without.
    """
    user = services.avatar_set(
        user=request_user(request),
        upload=file,
        size_bytes=file.size or 0,
        crop=_json_form_field("crop", crop),
    )
    return me_json(user)


@accounts_router.delete("/me/avatar", auth=api_auth, response={200: MeOut, **errors(401, 403)})
def avatar_delete(request: HttpRequest) -> MeJson:
    """Remove the profile picture."""
    return me_json(services.avatar_remove(user=request_user(request)))


@accounts_router.post("/me/password", auth=api_auth, response={204: None, **errors(401, 403, 422)})
def password_change(request: HttpRequest, payload: PasswordChangeIn) -> Status[None]:
    """Change the password; every other token of the account is revoked."""
    services.password_change(
        user=request_user(request),
        current_password=payload.current_password,
        new_password=payload.new_password,
        keep_token=request_token(request),
    )
    return Status(204, None)


@accounts_router.get("/me/tokens", auth=api_auth, response={200: TokenListOut, **errors(401, 422)})
def tokens(
    request: HttpRequest, max_id: int | None = None, limit: int | None = None
) -> PageJson[ApiToken]:
    """The viewer's active API tokens, newest first."""
    page = paginate(selectors.token_list(user=request_user(request)), max_id=max_id, limit=limit)
    # The rows themselves: TokenOut reads the fields it shows from them.
    return {"items": list(page.items), "next_max_id": cursor_json(page.next_max_id)}


@accounts_router.post(
    "/me/tokens", auth=api_auth, response={201: TokenCreatedOut, **errors(401, 403, 409, 422, 429)}
)
def token_add(request: HttpRequest, payload: TokenIn) -> Status[TokenCreatedOut]:
    """Create a named API token; its secret is in this answer only.

    Past the most active tokens an account may hold it is a 409 (revoke one first); past the
    tokens it may create in an hour, a 429.
    """
    token, secret = services.token_create(user=request_user(request), name=payload.name)
    return Status(
        201,
        TokenCreatedOut(
            id=str(token.id),
            name=token.name,
            prefix=token.prefix,
            created_at=token.created_at,
            last_used_at=token.last_used_at,
            token=secret,
        ),
    )


@accounts_router.delete(
    "/me/tokens/{token_id}", auth=api_auth, response={204: None, **errors(401, 403, 404)}
)
def token_revoke(request: HttpRequest, token_id: int) -> Status[None]:
    """Revoke one of the viewer's tokens."""
    services.token_revoke(user=request_user(request), token_id=token_id)
    return Status(204, None)


def _json_form_field(field: str, raw: str | None) -> Any:
    """Parse a form field that carries JSON; empty is None."""
    if not raw:
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise InvalidInput(fields={field: ["This is not valid JSON."]}) from None
