-- setup --dms-indexes: authorization by education organization (DMS 0023_Create_DataOut_Indexes:
-- IX_Document_SecurityElements_EducationOrganization).
-- {{table}}: dms.Document or dms.document_NN; {{name}}: the index name, or empty on a partition to let PostgreSQL name it.
CREATE INDEX {{name}} ON {{table}} ((SecurityElements -> 'EducationOrganization' -> 0 ->> 'Id'))
