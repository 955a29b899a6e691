"""The treatment-centre directory: ``create_app`` reads like the app's table of contents."""

from __future__ import annotations

from flask import Flask

from directory import settings
from directory.extensions import babel, csrf, db, limiter, login_manager, migrate


def create_app(config: dict | None = None) -> Flask:
    """Build the application; ``config`` overrides the environment (tests use it)."""
    app = Flask(
        __name__,
        instance_path=str(settings.INSTANCE_PATH),
        template_folder=str(settings.PROJECT_ROOT / "templates"),
        static_folder=str(settings.PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(settings.from_environment())
    if config:
        app.config.from_mapping(config)
    app.json.sort_keys = False  # keep the documented field order
    guard_requests(app)
    trust_proxies(app)
    check_geocoder(app)
    register_extensions(app)
    register_blueprints(app)
    register_web(app)
    register_commands(app)
    return app


def guard_requests(app: Flask) -> None:
    """Hostile input (a malformed Host, NUL bytes, broken encodings, huge ids) is a clear 400
    or 404 before any view runs; first, so forwarded headers are checked too."""
    from directory.web import request_guard

    request_guard.register(app)


def trust_proxies(app: Flask) -> None:
    """Behind a TLS proxy, take the client address and scheme from its forwarded headers, so
    rate limits apply per visitor and HSTS is sent; only as many hops as configured."""
    hops = app.config.get("PROXY_HOPS", 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def check_geocoder(app: Flask) -> None:
    """Make the configured geocoder now, so a misspelt GEOCODER fails at start, not mid-search."""
    from directory.geo import make_geocoder

    try:
        geocoder = make_geocoder(app.config["GEOCODER"], app.config["GEOCODER_USER_AGENT"])
    except ValueError as error:
        raise settings.ConfigurationError(f"GEOCODER: {error}") from None
    app.extensions["directory.geocoder"] = {"geocoder": geocoder}


def register_extensions(app: Flask) -> None:
    from directory import models  # noqa: F401  (models must be imported for migrations)
    from directory.web.database import engine_options, watch
    from directory.web.i18n import select_locale

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)
    db.init_app(app)
    with app.app_context():
        watch(
            db.engine, app.config["DATABASE_STATEMENT_TIMEOUT"], app.config["DATABASE_PING_TIMEOUT"]
        )
    migrate.init_app(app, db, directory=str(settings.PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(settings.PROJECT_ROOT / "directory" / "translations"),
    )
    limiter.init_app(app)
    register_login(app)


def register_login(app: Flask) -> None:
    """Sessions for the provider and admin areas (public pages never set a cookie)."""
    from directory.web import sessions

    login_manager.init_app(app)
    login_manager.login_view = "provider.login"
    login_manager.user_loader(sessions.load_session_account)
    sessions.register(app)


def register_blueprints(app: Flask) -> None:
    from directory.admin import blueprint as admin
    from directory.api import blueprint as api
    from directory.hsds import blueprint as hsds
    from directory.provider import blueprint as provider
    from directory.public import blueprint as public
    from directory.web.health import blueprint as health
    from directory.widget import blueprint as widget

    app.register_blueprint(health)
    app.register_blueprint(public)
    app.register_blueprint(api)
    app.register_blueprint(hsds)
    app.register_blueprint(provider)
    app.register_blueprint(admin)
    app.register_blueprint(widget)


def register_web(app: Flask) -> None:
    from directory.web import error_pages, logs, metrics, security, templating

    metrics.register(app)
    logs.register(app)
    security.register(app)
    error_pages.register(app)
    templating.register(app)


def register_commands(app: Flask) -> None:
    from directory.commands import register

    register(app)
