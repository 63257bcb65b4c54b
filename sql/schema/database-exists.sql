-- Whether a database exists on the server. $1: the database name.
SELECT 1 FROM pg_database WHERE datname = $1
