-- ReferentialId uniqueness; the target of FK_Reference_ReferencedAlias (DMS: UX_Alias_ReferentialId).
-- {{table}}: dms.Alias or dms.alias_NN; {{name}}: the index name, or empty on a partition to let PostgreSQL name it.
CREATE UNIQUE INDEX {{name}} ON {{table}} (ReferentialPartitionKey, ReferentialId)
