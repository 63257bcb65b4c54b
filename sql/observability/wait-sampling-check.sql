-- Whether pg_wait_sampling can profile the run's backends one by one: its extension in this database
-- (the profile view), its library preloaded (else it has no collector), and pg_wait_sampling.profile_pid
-- on (else every backend is summed under pid 0). No parameters.
SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_wait_sampling') AS installed,
       'pg_wait_sampling' = ANY (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ',')) AS preloaded,
       coalesce(current_setting('pg_wait_sampling.profile_pid', true), 'on') AS profile_pid,
       coalesce(current_setting('pg_wait_sampling.profile_queries', true), 'off') AS profile_queries,
       current_setting('pg_wait_sampling.profile_period', true) AS profile_period
