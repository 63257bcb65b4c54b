-- Fills restore's staging table from a binary COPY stream (coordinator/restore/staging-rows.ts
-- writes the fields in this column order). No parameters.
COPY pg_temp.restore_staging (DatasetRowId, ParentDocumentId, ParentDocumentPartitionKey, ReferentialId, ReferentialPartitionKey)
FROM STDIN WITH (FORMAT binary)
