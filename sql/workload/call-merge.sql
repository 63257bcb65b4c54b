-- One call of the "merge" strategy (sql/strategies/merge.sql).
-- $1 bigint[] parent document ids, $2 smallint[] their partition keys, $3 uuid[] referential ids,
-- $4 smallint[] their partition keys: parallel, one element per reference row.
-- Rows: the referential ids without an Alias (none when the references were written).
SELECT ReferentialId AS referential_id
FROM dms.InsertReferences_Merge($1::bigint[], $2::smallint[], $3::uuid[], $4::smallint[])
