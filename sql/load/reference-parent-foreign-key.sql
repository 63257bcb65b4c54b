-- Reference → its parent Document, deleted with it (DMS: FK_Reference_ParentDocument).
-- {{table}}: dms.Reference or dms.reference_NN; {{name}}: the constraint name; {{not_valid}}: empty or NOT VALID.
ALTER TABLE {{table}} ADD CONSTRAINT {{name}} FOREIGN KEY (ParentDocumentPartitionKey, ParentDocumentId)
  REFERENCES dms.Document (DocumentPartitionKey, Id) ON DELETE CASCADE {{not_valid}}
