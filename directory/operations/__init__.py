"""Every state change of the directory (accounts, moderation and its audit trail, partners):
each takes a session and plain values, refuses with a ``DirectoryError``, flushes and never
commits; the request or command commits once. Nothing here imports Flask."""
