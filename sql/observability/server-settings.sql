-- Every server setting not at its built-in default (set in the configuration file, on the command
-- line, by ALTER SYSTEM/DATABASE/ROLE…), as PostgreSQL shows it (with its unit), for run.json
-- `environment.server.settings`. Left out: the connecting session's own settings (source client,
-- session: application_name and the like), those PostgreSQL overrides itself (file locations, the
-- transaction's mode), and settings that may carry a secret (replication connection strings, the
-- SSL passphrase command).
-- Parameters: none.
SELECT name, current_setting(name) AS value
FROM pg_settings
WHERE source NOT IN ('default', 'client', 'session', 'override')
  AND name NOT LIKE '%conninfo'
  AND name NOT LIKE '%passphrase%'
ORDER BY name
