"""The treatment-centre directory: ``create_app`` reads like the app's table of contents."""

from __future__ import annotations

from flask import Flask

from directory import settings
from directory.extensions import db, migrate


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
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from directory import models  # noqa: F401  (models must be imported for migrations)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(settings.PROJECT_ROOT / "migrations"))


def register_blueprints(app: Flask) -> None:
    from directory.health import blueprint as health

    app.register_blueprint(health)


def register_commands(app: Flask) -> None:
    from directory.commands import register

    register(app)
