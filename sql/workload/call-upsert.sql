-- One call of the "upsert" strategy (sql/strategies/upsert.sql, --schema alias-id), as the DMS
-- service issues it: one parent per call.
-- $1 bigint parent document id, $2 smallint its partition key, $3 uuid[] referential ids (distinct),
-- $4 smallint[] their partition keys (parallel), $5 boolean p_isPureInsert.
-- One row: success, and the referential ids without an Alias (then nothing was written).
SELECT success, invalid_ids
FROM dms.InsertReferences($1::bigint, $2::smallint, $3::uuid[], $4::smallint[], $5::boolean)
