#!/bin/sh
# One-shot job (temporal-admin-tools): creates Temporal's two PostgreSQL databases if missing
# and brings their schemas up to the version shipped in this admin-tools image.
#
# Safe to run on every `docker compose up`:
#   create-database  ignores a database that already exists;
#   setup-schema -v 0.0  creates the version tables, never lowers a recorded version;
#   update-schema    applies only the versioned migrations not yet recorded.
# Run it with the admin-tools tag that matches the server tag, before the server starts.
set -eu

: "${POSTGRES_SEEDS:?POSTGRES_SEEDS (database host) is required}"
: "${POSTGRES_USER:?POSTGRES_USER is required}"
: "${POSTGRES_PWD:?POSTGRES_PWD is required}"
PLUGIN="${DB:-postgres12}"
PORT="${DB_PORT:-5432}"
MAIN_DB="${DBNAME:-temporal}"
VISIBILITY_DB="${VISIBILITY_DBNAME:-temporal_visibility}"
SCHEMA_ROOT=/etc/temporal/schema/postgresql/v12

sql_tool() {
  temporal-sql-tool --plugin "$PLUGIN" --endpoint "$POSTGRES_SEEDS" --port "$PORT" \
    --user "$POSTGRES_USER" --password "$POSTGRES_PWD" "$@"
}

setup_database() {
  database=$1
  schema_dir=$2
  echo "Temporal schema: $database <- $schema_dir"
  sql_tool --database "$database" create-database
  sql_tool --database "$database" setup-schema -v 0.0
  sql_tool --database "$database" update-schema --schema-dir "$schema_dir"
}

echo "Waiting for PostgreSQL at $POSTGRES_SEEDS:$PORT..."
attempt=0
until nc -z "$POSTGRES_SEEDS" "$PORT"; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 30 ]; then
    echo "PostgreSQL is not reachable at $POSTGRES_SEEDS:$PORT" >&2
    exit 1
  fi
  sleep 2
done

setup_database "$MAIN_DB" "$SCHEMA_ROOT/temporal/versioned"
setup_database "$VISIBILITY_DB" "$SCHEMA_ROOT/visibility/versioned"
echo "Temporal schema is up to date"
