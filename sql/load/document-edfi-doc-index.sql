-- setup --dms-indexes: GetByQuery on any field of the document body (DMS 0023_Create_DataOut_Indexes:
-- IX_Document_EdfiDoc). Every document write maintains it.
-- {{table}}: dms.Document or dms.document_NN; {{name}}: the index name, or empty on a partition to let PostgreSQL name it.
CREATE INDEX {{name}} ON {{table}} USING GIN (EdfiDoc jsonb_path_ops)
