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
# gunicorn's control socket, one per instance (archive-web@<port> sets it);
# without one named, none: two instances on a machine would share the default.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
# Headers from the proxy are believed only from these addresses.
forwarded_allow_ips = os.environ.get("ARCHIVE_TRUSTED_PROXIES", "127.0.0.1")


def child_exit(server, worker):
    """A worker that ends leaves its request counters to the others
    (prometheus_client's multiprocess mode, PROMETHEUS_MULTIPROC_DIR)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
