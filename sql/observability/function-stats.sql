-- pg_stat_user_functions for the dms schema (needs track_functions = pl or all to hold rows).
-- Parameters: none. Overloads of one name are summed.
SELECT funcname AS function_name,
       sum(calls)::float8 AS calls,
       sum(total_time)::float8 AS total_time_ms,
       sum(self_time)::float8 AS self_time_ms
FROM pg_stat_user_functions
WHERE schemaname = 'dms'
GROUP BY funcname
ORDER BY funcname
