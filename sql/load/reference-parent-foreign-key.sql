-- Reference → its parent Document, deleted with it (DMS: FK_Reference_ParentDocument).
-- {{table}}: dms.Reference or dms.reference_NN; {{constraint}}: "CONSTRAINT name", or empty on a partition to let PostgreSQL name it; {{not_valid}}: empty or NOT VALID.
ALTER TABLE {{table}} ADD {{constraint}} FOREIGN KEY (ParentDocumentPartitionKey, ParentDocumentId)
  REFERENCES dms.Document (DocumentPartitionKey, Id) ON DELETE CASCADE {{not_valid}}
