"""Server-rendered staff pages: sign-in, listener console, admin console, demo host page."""
