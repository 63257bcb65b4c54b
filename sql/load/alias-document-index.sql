-- Supports FK_Alias_Document's cascade (DMS: IX_Alias_DocumentPartitionKey_DocumentId).
-- {{table}}: dms.Alias or dms.alias_NN; {{name}}: the index name.
CREATE INDEX {{name}} ON {{table}} (DocumentPartitionKey, DocumentId)
