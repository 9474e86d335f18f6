"""The admin console: a tenant's settings, edited section by section by its admins."""
