"""gunicorn settings for production; every value can be overridden from the environment.

Workers are separate processes: each builds its own MeCab tagger on first use, while the
dictionary's memory-mapped pages are shared by the operating system.
"""

import multiprocessing
import os

wsgi_app = "wsgi:app"
bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# The app is imported once, in the master, and the workers are forked from it: a worker
# that max_requests recycles starts in milliseconds instead of re-importing everything
# (about a second of CPU each time, taken from the requests being served).
preload_app = True
# Restart workers now and then so a slow leak in any library never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# The app writes its own JSON request log with request ids; gunicorn's would duplicate it.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def pre_fork(server, worker):  # gunicorn calls it with both
    """Move everything the master has built (the app, its content caches) out of the
    garbage collector's sight before forking, as Python's gc.freeze documentation advises
    for pre-fork servers: workers neither rescan it in full collections nor copy the
    pages a scan would touch. The MeCab tagger is built here too, once, so a worker that
    max_requests has just replaced grades its first answer without building its own."""
    import gc

    from app.japanese.tokenizer import get_tagger

    get_tagger()
    gc.freeze()


def post_fork(server, worker):  # gunicorn calls it with both
    """A forked worker must not share the master's database connections: drop the
    inherited pools (without closing the master's sockets) so each worker opens its own."""
    from app.extensions import db
    from wsgi import app

    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)
