-- Whether an extension is installed in the connected database, and in which schema.
-- Parameters: $1 text = extension name. No row when it is not installed.
SELECT extnamespace::regnamespace::text AS schema_name, extversion AS version
FROM pg_extension
WHERE extname = $1
