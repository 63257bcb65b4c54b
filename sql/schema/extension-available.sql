-- Whether the server has an extension's files installed. $1: the extension name.
SELECT 1 FROM pg_available_extensions WHERE name = $1
