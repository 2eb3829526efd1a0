"""``flask webhooks work``: the delivery worker, one per host or several."""

from __future__ import annotations

import signal
import threading
from types import FrameType

import click
from flask.cli import with_appcontext

from app.webhooks import worker


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
    sent, hands the rest of the batch back, and exits."""
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
