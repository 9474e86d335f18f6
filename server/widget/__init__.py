"""The visitor widget: the loader script, the iframe chat page, its public config and assets."""
