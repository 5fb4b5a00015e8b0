-- Runs once, when the postgresql service starts on an empty data volume
-- (mounted into /docker-entrypoint-initdb.d; psql runs it with ON_ERROR_STOP).
--
--   ims                  the IMS's own data; tables come from `ims-migrate` (db/migrations)
--   temporal             Temporal's persistence store; schema from `temporal-admin-tools`
--   temporal_visibility  Temporal's visibility store; schema from `temporal-admin-tools`
--
-- Written to be idempotent (\gexec only runs the CREATE when the database is missing), and
-- `temporal-admin-tools` creates the Temporal databases itself if they are missing, so an
-- existing volume without this script having run still comes up.
SELECT 'CREATE DATABASE ims'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'ims')\gexec

SELECT 'CREATE DATABASE temporal'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'temporal')\gexec

SELECT 'CREATE DATABASE temporal_visibility'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'temporal_visibility')\gexec
