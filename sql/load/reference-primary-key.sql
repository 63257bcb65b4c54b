-- Primary key of dms.Reference, or of one partition.
-- {{table}}: dms.Reference or dms.reference_NN; {{constraint}}: "CONSTRAINT name", or empty on a partition to let PostgreSQL name it.
ALTER TABLE {{table}} ADD {{constraint}} PRIMARY KEY (ParentDocumentPartitionKey, Id)
