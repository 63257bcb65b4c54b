-- Alias → Document, deleted with its document (DMS: FK_Alias_Document).
-- {{table}}: dms.Alias or dms.alias_NN; {{name}}: the constraint name;
-- {{not_valid}}: empty, or NOT VALID (a partition's constraint, validated apart by load/validate-constraint).
ALTER TABLE {{table}} ADD CONSTRAINT {{name}} FOREIGN KEY (DocumentPartitionKey, DocumentId)
  REFERENCES dms.Document (DocumentPartitionKey, Id) ON DELETE CASCADE {{not_valid}}
