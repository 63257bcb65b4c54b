-- One row per (parent, referential id): the arbiter of the merge strategy's ON CONFLICT.
-- Only added when the loaded data has no duplicate pairs (the manifest records which).
-- {{table}}: dms.Reference or dms.reference_NN; {{constraint}}: "CONSTRAINT name", or empty on a partition to let PostgreSQL name it.
ALTER TABLE {{table}} ADD {{constraint}}
  UNIQUE (ParentDocumentId, ParentDocumentPartitionKey, ReferentialId, ReferentialPartitionKey)
