"""Tenants as files: the one import for parsing (parsing.py) and storing (store.py) them.

Kept so that callers need not know how the two halves are split."""

from __future__ import annotations

from server.tenants.parsing import (
    RuleViolation,
    TenantFileError,
    _check_rules,
    canonical,
    load_tenant_files,
    parse_tenant_file,
    rule_violations,
    to_toml,
)
from server.tenants.store import (
    ApplyReport,
    Q,
    _write_tenant,
    apply_tenants,
    lock_tenant,
    read_tenant,
    write_changes,
)

__all__ = [
    "ApplyReport",
    "Q",
    "RuleViolation",
    "TenantFileError",
    "_check_rules",
    "_write_tenant",
    "apply_tenants",
    "canonical",
    "load_tenant_files",
    "lock_tenant",
    "parse_tenant_file",
    "read_tenant",
    "rule_violations",
    "to_toml",
    "write_changes",
]
