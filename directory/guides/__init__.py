"""Help choosing: the plain guides (``pages``) and the short guided check (``check``). Plain
Python, no web: the public blueprint shows them under ``/guide/``."""
