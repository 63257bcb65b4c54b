-- Alias → Document, deleted with its document (DMS: FK_Alias_Document).
-- {{table}}: dms.Alias or dms.alias_NN; {{constraint}}: "CONSTRAINT name", or empty on a partition to let PostgreSQL name it;
-- {{not_valid}}: empty, or NOT VALID (a partition's constraint, validated apart by load/validate-constraint).
ALTER TABLE {{table}} ADD {{constraint}} FOREIGN KEY (DocumentPartitionKey, DocumentId)
  REFERENCES dms.Document (DocumentPartitionKey, Id) ON DELETE CASCADE {{not_valid}}
