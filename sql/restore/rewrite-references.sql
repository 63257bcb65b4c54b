-- Puts documents back to their dataset reference sets through the `current` strategy
-- (dms.InsertReferences: delete every row of the given parents, insert the given rows).
-- $1 parentDocumentIds bigint[], $2 parentDocumentPartitionKeys smallint[],
-- $3 referentialIds uuid[], $4 referentialPartitionKeys smallint[] (parallel, one element per row).
-- Returns the referential ids that have no Alias (then nothing was written).
SELECT ReferentialId::text AS referential_id
FROM dms.InsertReferences($1::bigint[], $2::smallint[], $3::uuid[], $4::smallint[])
