"""Tenants: organisations, their configuration as files, and their public face."""
