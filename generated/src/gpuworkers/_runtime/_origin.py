"""Credentials go to the configured origin only: on each request, and on each redirect hop.

httpx, when the caller's own client follows redirects, copies every header to the new
location and strips only ``Authorization``; a provider's ``X-Api-Key`` would reach any host a
server redirects to.  So the clients send with ``follow_redirects=False`` and follow hop by hop
here, re-deciding at each hop which credentials the request may carry.
"""

from __future__ import annotations

import httpx

from ._auth import ResolvedAuth
from ._logging import is_sensitive

__all__ = ["attach_credentials", "redirect_to_follow", "same_origin"]


def same_origin(url: httpx.URL, origin: httpx.URL) -> bool:
    return (url.scheme, url.host, url.port) == (origin.scheme, origin.host, origin.port)


def attach_credentials(request: httpx.Request, origin: httpx.URL, auth: ResolvedAuth) -> None:
    """Credential headers on a request bound for ``origin``; none elsewhere.

    A header the caller set (``default_headers``, ``extra_headers``) is kept as given.
    """
    if not same_origin(request.url, origin):
        return
    # As bytes: setting a str would encode it like the headers so far (ASCII), and a
    # credential may hold any character.
    raw: list[tuple[bytes, bytes]] = list(request.headers.raw)
    for name, value in auth.headers.items():
        given = request.headers.get(name)
        if given is None:
            raw.append((name.encode(), value.encode()))
        elif name.lower() == "cookie" and value not in given.split("; "):
            # Cookie parameters (in extra_headers) and a cookie credential share the header.
            raw = [(k, v) for k, v in raw if k.lower() != b"cookie"]
            raw.append((b"Cookie", f"{value}; {given}".encode()))
    if raw != list(request.headers.raw):
        request.headers = httpx.Headers(raw)


def redirect_to_follow(
    response: httpx.Response,
    hops: int,
    http: httpx.Client | httpx.AsyncClient,
    origin: httpx.URL,
    auth: ResolvedAuth,
) -> httpx.Request | None:
    """The next request of a redirect the caller's client asks to follow, or None.

    A hop to ``origin`` carries the credentials (again); a hop elsewhere carries no
    credential header, and a body holding a credential is not re-sent there at all: that
    redirect is the answer.
    """
    request = response.next_request
    if request is None or not http.follow_redirects:
        return None
    if hops >= http.max_redirects:
        raise httpx.TooManyRedirects("Exceeded maximum allowed redirects.", request=request)
    if same_origin(request.url, origin):
        attach_credentials(request, origin, auth)  # back home after a hop that dropped them
        return request
    if auth.body_fields and request.method not in ("GET", "HEAD"):
        return None
    credentials = {name.lower() for name in auth.headers}
    for name in list(request.headers.keys()):
        if name.lower() in credentials or is_sensitive(name):
            del request.headers[name]
    return request
