import os

# Before `server` is imported: the test profile hashes passwords cheaply (server/auth.py).
os.environ.setdefault("HAVRE_ENV", "test")
