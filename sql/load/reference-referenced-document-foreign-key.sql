-- Reference → the Document it points at; NULL when unresolved (DMS: FK_Reference_ReferencedDocument).
-- {{table}}: dms.Reference or dms.reference_NN; {{constraint}}: "CONSTRAINT name", or empty on a partition to let PostgreSQL name it; {{not_valid}}: empty or NOT VALID.
ALTER TABLE {{table}} ADD {{constraint}} FOREIGN KEY (ReferencedDocumentPartitionKey, ReferencedDocumentId)
  REFERENCES dms.Document (DocumentPartitionKey, Id) {{not_valid}}
