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
# Restart workers now and then so a slow leak in any library never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# The app writes its own JSON request log with request ids; gunicorn's would duplicate it.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
