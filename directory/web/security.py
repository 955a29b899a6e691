"""Security headers on every response: a strict CSP, no referrer, no framing but where allowed.

A view that may be framed (only the widget) sets ``g.frame_ancestors`` to the origins
allowed to frame it; everything else denies framing.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, g, request


def content_security_policy(frame_ancestors: str = "'none'") -> str:
    img_sources = ["'self'", "data:", *tile_origins()]
    directives = [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        f"img-src {' '.join(img_sources)}",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        f"frame-ancestors {frame_ancestors}",
        "frame-src 'self'",
        "manifest-src 'self'",
    ]
    return "; ".join(directives)


def tile_origins() -> list[str]:
    """The origin of a configured map tile server (none by default: no third party)."""
    template = current_app.config.get("MAP_TILE_URL", "")
    parts = urlsplit(template)
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


def set_security_headers(response):
    frame_ancestors = g.get("frame_ancestors")
    headers = response.headers
    headers.setdefault(
        "Content-Security-Policy", content_security_policy(frame_ancestors or "'none'")
    )
    if not frame_ancestors:
        headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault(
        "Permissions-Policy", "geolocation=(self), camera=(), microphone=(), interest-cohort=()"
    )
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    # Pages and API answers follow the browser's language when the URL names none.
    if request.endpoint != "static":
        response.vary.add("Accept-Language")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def allow_cross_origin_reads(response):
    """For the open JSON APIs: any site may read them; nothing is cached (answers change)."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    response.headers["Cache-Control"] = "no-store"
    return response


def register(app: Flask) -> None:
    app.after_request(set_security_headers)
