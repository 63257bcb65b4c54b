-- --schema alias-id: a referenced alias's rows, for FK_Reference_ReferencedAlias's checks from Alias
-- (DMS-867: IX_Reference_AliasId).
-- {{table}}: dms.Reference or dms.reference_NN; {{name}}: the index name, or empty on a partition to let PostgreSQL name it.
CREATE INDEX {{name}} ON {{table}} (ReferentialPartitionKey, AliasId)
