"""gunicorn settings picked up by ``gunicorn wsgi:app`` from the project directory.

The access log records the path but never the query string: searches stay private.
"""

accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'
workers = 2
