"""The admin area: moderation queues, listing history, accounts and the mail outbox."""

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


@blueprint.before_request
def require_admin():
    """Admins only: others are sent to sign in, or refused when signed in."""
    if not current_user.is_authenticated:
        return redirect(url_for("provider.login", next=request.full_path.rstrip("?")))
    if not current_user.is_admin:
        abort(403)
    return None


from directory.admin import routes  # noqa: E402, F401  (views register on the blueprint)

# isort: split
from directory.admin import partners  # noqa: E402, F401  (widget partners)

# isort: split
from directory.admin import reviews  # noqa: E402, F401  (what imports left open)
