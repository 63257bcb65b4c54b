-- Reverse lookups by referenced document, across partitions (DMS: IX_Reference_ReferencedDocument).
-- {{table}}: dms.Reference or dms.reference_NN; {{name}}: the index name.
CREATE INDEX {{name}} ON {{table}} (ReferencedDocumentPartitionKey, ReferencedDocumentId)
