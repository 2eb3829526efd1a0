"""``flask webhooks work``: the delivery worker, one per host or several."""

from __future__ import annotations

import signal
import threading
from types import FrameType

import click
from flask.cli import with_appcontext

from app.extensions import db
from app.webhooks import secret_box, worker


@click.group("webhooks", help="Webhook deliveries.")
def webhooks_cli() -> None:
    pass


@webhooks_cli.command("work")
@click.option("--once", is_flag=True, help="Send one batch of due deliveries, then stop.")
@click.option(
    "--batch",
    type=click.IntRange(1, 500),
    default=worker.DEFAULT_BATCH,
    show_default=True,
    help="Deliveries claimed at a time.",
)
@click.option(
    "--idle",
    type=click.FloatRange(0.1, 60),
    default=2.0,
    show_default=True,
    help="Seconds to wait when nothing is due.",
)
@with_appcontext
def work(once: bool, batch: int, idle: float) -> None:
    """Send due deliveries until stopped. SIGTERM or Ctrl-C finishes the delivery being
    sent, hands the rest of the batch back, and exits. Refuses to start when a webhook
    secret cannot be decrypted with this host's keys."""
    try:
        secret_box.check_readable()
    except secret_box.SecretKeyError as error:
        raise click.ClickException(str(error)) from None
    finally:
        db.session.rollback()  # only read: no transaction stays open while idle
    if once:
        outcomes = worker.run_once(batch=batch)
        for outcome in outcomes:
            click.echo(
                f"delivery {outcome.delivery_id}: {outcome.status} "
                f"({outcome.status_code or outcome.error})"
            )
        click.echo(f"{len(outcomes)} deliveries attempted")
        return
    stop = threading.Event()

    def stop_soon(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, stop_soon)
    signal.signal(signal.SIGINT, stop_soon)
    total = worker.work(batch=batch, idle_seconds=idle, stop=stop)
    click.echo(f"stopped after {total} deliveries")


@webhooks_cli.command("reseal-secrets")
@with_appcontext
def reseal_secrets() -> None:
    """Encrypt every endpoint's secret again under the current key
    (HASHI_WEBHOOK_SECRET_KEY, else SECRET_KEY). Run it after setting
    HASHI_WEBHOOK_SECRET_KEY and before changing SECRET_KEY."""
    try:
        count = secret_box.reseal_all()
    except secret_box.SecretKeyError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"{count} webhook secrets sealed again under the current key")
