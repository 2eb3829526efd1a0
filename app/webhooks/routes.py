"""Admin pages: webhook endpoints, deliveries with each attempt, and redeliver."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SubmitField

from app.accounts.access import roles_required
from app.extensions import db
from app.learning.clock import now
from app.models import Role
from app.models.webhooks import DELIVERY_STATUSES, WebhookDelivery
from app.webhooks import admin
from app.webhooks.admin import ConsentWithdrawnError
from app.webhooks.urls import WebhookError

bp = Blueprint("webhooks", __name__, url_prefix="/admin/webhooks")


class RedeliverForm(FlaskForm):
    """Only the CSRF token: the delivery is in the URL."""

    submit = SubmitField()


@bp.get("")
@roles_required(Role.PROGRAMME_ADMIN)
def index() -> str:
    status = request.args.get("status", "", type=str)[:20] or None
    number = request.args.get("page", 1, type=int) or 1
    return render_template(
        "webhooks/index.html",
        endpoints=admin.endpoints(),
        page=admin.deliveries(status, number),
        statuses=DELIVERY_STATUSES,
    )


@bp.get("/deliveries/<int:delivery_id>")
@roles_required(Role.PROGRAMME_ADMIN)
def delivery(delivery_id: int) -> str:
    found = db.session.get(WebhookDelivery, delivery_id)
    if found is None:
        abort(404)
    return render_template(
        "webhooks/delivery.html",
        delivery=found,
        attempts=admin.attempts_of(found.id),
        form=RedeliverForm(),
    )


@bp.post("/deliveries/<int:delivery_id>/redeliver")
@roles_required(Role.PROGRAMME_ADMIN)
def redeliver(delivery_id: int) -> Response:
    if not RedeliverForm().validate_on_submit():
        abort(400)
    try:
        admin.redeliver(delivery_id, now=now(), actor_id=current_user.id, ip=request.remote_addr)
    except ConsentWithdrawnError:
        db.session.rollback()
        flash(
            _(
                "This delivery cannot be sent again: the candidate it is about has withdrawn "
                "their consent to share their results with the recruitment system."
            ),
            "warning",
        )
    except WebhookError as error:
        db.session.rollback()
        if error.status == 404:
            abort(404)
        flash(
            _(
                "This delivery cannot be sent again now: a worker is sending it, or its "
                "client has removed the endpoint."
            ),
            "warning",
        )
    else:
        db.session.commit()
        flash(_("The delivery will be sent again within moments."), "success")
    return redirect(url_for("webhooks.delivery", delivery_id=delivery_id))
