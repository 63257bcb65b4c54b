-- Moves a table's identity sequence past the explicit ids load wrote, so later inserts continue
-- after them. $1: the table ('dms.document'); $2: the last id written, or 1 with $3 false when none.
SELECT setval(pg_get_serial_sequence($1, 'id'), $2, $3)
