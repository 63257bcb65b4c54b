-- setup --dms-indexes: GetAll paging by resource (DMS 0023_Create_DataOut_Indexes: IX_Document_ResourceName_CreatedAt).
-- {{table}}: dms.Document or dms.document_NN; {{name}}: the index name, or empty on a partition to let PostgreSQL name it.
CREATE INDEX {{name}} ON {{table}} (ResourceName, CreatedAt)
