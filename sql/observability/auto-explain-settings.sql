-- --explain: auto_explain settings for the current transaction only — every statement, nested ones
-- included, with ANALYZE and BUFFERS, as JSON, sent to this client as a NOTICE. No parameters.
SELECT set_config('auto_explain.log_min_duration', '0', true),
       set_config('auto_explain.log_analyze', 'on', true),
       set_config('auto_explain.log_buffers', 'on', true),
       set_config('auto_explain.log_timing', 'on', true),
       set_config('auto_explain.log_format', 'json', true),
       set_config('auto_explain.log_nested_statements', 'on', true),
       set_config('auto_explain.log_level', 'notice', true),
       set_config('client_min_messages', 'notice', true)
