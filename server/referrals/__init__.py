"""Referrals: the crisis lines and services a listener can point a visitor to."""
