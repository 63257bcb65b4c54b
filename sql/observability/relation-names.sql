-- Relation names for the OIDs a deadlock's DETAIL names.
-- Parameters: $1 oid[] = relation OIDs. One row per relation that still exists.
SELECT c.oid::bigint AS oid, c.oid::regclass::text AS name
FROM pg_class c
WHERE c.oid = ANY ($1::oid[])
