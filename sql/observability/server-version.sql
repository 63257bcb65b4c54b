-- The server's version as text ("15.10 (Debian 15.10-1)") and as a number (150010).
-- Parameters: none.
SELECT current_setting('server_version') AS version, current_setting('server_version_num')::int AS version_num
