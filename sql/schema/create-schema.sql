-- The schema every refswarm object lives in. No parameters.
CREATE SCHEMA IF NOT EXISTS dms
