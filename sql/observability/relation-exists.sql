-- Whether a catalog view exists on this server version. Parameters: $1 text = qualified name.
SELECT to_regclass($1) IS NOT NULL AS present
