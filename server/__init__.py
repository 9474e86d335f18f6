"""Havre: an emotional-support chat platform."""
