-- Validates a constraint added NOT VALID (checks the existing rows without blocking other partitions' checks).
-- {{table}}: the table holding it; {{name}}: the constraint name.
ALTER TABLE {{table}} VALIDATE CONSTRAINT {{name}}
