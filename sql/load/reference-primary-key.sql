-- Primary key of dms.Reference, or of one partition.
-- {{table}}: dms.Reference or dms.reference_NN; {{name}}: the constraint name.
ALTER TABLE {{table}} ADD CONSTRAINT {{name}} PRIMARY KEY (ParentDocumentPartitionKey, Id)
