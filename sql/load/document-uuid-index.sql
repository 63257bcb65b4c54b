-- DocumentUuid uniqueness and GET-by-uuid support (DMS: UX_Document_DocumentUuid).
-- {{table}}: dms.Document or dms.document_NN; {{name}}: the index name, or empty on a partition to let PostgreSQL name it.
CREATE UNIQUE INDEX {{name}} ON {{table}} (DocumentPartitionKey, DocumentUuid)
