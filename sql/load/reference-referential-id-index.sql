-- Supports FK_Reference_ReferencedAlias (ON DELETE RESTRICT / ON UPDATE CASCADE look-ups from Alias).
-- {{table}}: dms.Reference or dms.reference_NN; {{name}}: the index name.
CREATE INDEX {{name}} ON {{table}} (ReferentialPartitionKey, ReferentialId)
