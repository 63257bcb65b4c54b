-- setup --dms-indexes: an authorization check (DMS 0023_Create_DataOut_Indexes: IX_Document_StudentSchoolAuthorizationEdOrgIds).
-- {{table}}: dms.Document or dms.document_NN; {{name}}: the index name, or empty on a partition to let PostgreSQL name it.
CREATE INDEX {{name}} ON {{table}} USING GIN (StudentSchoolAuthorizationEdOrgIds)
