-- ReferentialId uniqueness; the target of FK_Reference_ReferencedAlias (DMS: UX_Alias_ReferentialId).
-- {{table}}: dms.Alias or dms.alias_NN; {{name}}: the index name.
CREATE UNIQUE INDEX {{name}} ON {{table}} (ReferentialPartitionKey, ReferentialId)
