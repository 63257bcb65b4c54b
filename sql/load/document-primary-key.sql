-- Primary key of dms.Document, or of one partition (load builds partitions first, then the parent attaches them).
-- {{table}}: dms.Document or dms.document_NN; {{constraint}}: "CONSTRAINT name", or empty on a partition to let PostgreSQL name it.
ALTER TABLE {{table}} ADD {{constraint}} PRIMARY KEY (DocumentPartitionKey, Id)
