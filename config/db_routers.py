"""Reads of web and API requests to the replica, everything else to the primary.

Installed only when DATABASE_REPLICA_URL is set (config/settings/base.py). Which requests may
read the replica is decided by governance/replica.py; here, per query: writes, reads inside
a transaction (they must see the transaction's own writes and hold its locks), and the
tables that say who the caller is (a session or token made a moment ago on the primary must
not look missing) always go to the primary.
"""

from django.db import DEFAULT_DB_ALIAS, connections

from governance.replica import read_alias

# Read on every signed-in request, and written just before the first one (sign-in, a new token).
PRIMARY_ONLY = frozenset({"sessions.Session", "governance.ApiToken"})


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        alias = read_alias()
        if alias is None or model._meta.label in PRIMARY_ONLY:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return alias

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same rows.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
