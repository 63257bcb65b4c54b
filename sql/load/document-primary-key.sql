-- Primary key of dms.Document, or of one partition (load builds partitions first, then the parent attaches them).
-- {{table}}: dms.Document or dms.document_NN; {{name}}: the constraint name.
ALTER TABLE {{table}} ADD CONSTRAINT {{name}} PRIMARY KEY (DocumentPartitionKey, Id)
