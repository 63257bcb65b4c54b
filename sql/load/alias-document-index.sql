-- Supports FK_Alias_Document's cascade (DMS: IX_Alias_DocumentPartitionKey_DocumentId).
-- {{table}}: dms.Alias or dms.alias_NN; {{name}}: the index name, or empty on a partition to let PostgreSQL name it.
CREATE INDEX {{name}} ON {{table}} (DocumentPartitionKey, DocumentId)
