-- Reference → the Document it points at; NULL when unresolved (DMS: FK_Reference_ReferencedDocument).
-- {{table}}: dms.Reference or dms.reference_NN; {{name}}: the constraint name; {{not_valid}}: empty or NOT VALID.
ALTER TABLE {{table}} ADD CONSTRAINT {{name}} FOREIGN KEY (ReferencedDocumentPartitionKey, ReferencedDocumentId)
  REFERENCES dms.Document (DocumentPartitionKey, Id) {{not_valid}}
