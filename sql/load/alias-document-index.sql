-- Alias by document, for FK_Alias_Document's cascade (DMS: IX_Alias_DocumentPartitionKey_DocumentId;
-- DMS-867 names it IX_Alias_DocumentId and adds IX_FK_Alias_Document on the same columns).
-- {{table}}: dms.Alias or dms.alias_NN; {{name}}: the index name, or empty on a partition to let PostgreSQL name it.
CREATE INDEX {{name}} ON {{table}} (DocumentPartitionKey, DocumentId)
