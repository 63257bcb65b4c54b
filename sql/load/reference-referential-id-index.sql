-- Supports FK_Reference_ReferencedAlias (ON DELETE RESTRICT / ON UPDATE CASCADE look-ups from Alias).
-- {{table}}: dms.Reference or dms.reference_NN; {{name}}: the index name, or empty on a partition to let PostgreSQL name it.
CREATE INDEX {{name}} ON {{table}} (ReferentialPartitionKey, ReferentialId)
