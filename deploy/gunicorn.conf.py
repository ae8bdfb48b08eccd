"""gunicorn's settings for the archive (``gunicorn -c deploy/gunicorn.conf.py
config.wsgi``). Every value can be changed from the environment."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
# The access log never holds an ID or phone number typed into a search box.
logger_class = "config.gunicorn_logging.RedactingLogger"
# Headers from the proxy are believed only from these addresses.
forwarded_allow_ips = os.environ.get("ARCHIVE_TRUSTED_PROXIES", "127.0.0.1")
