-- One row per (parent, referential id): the arbiter of the merge strategy's ON CONFLICT.
-- Only added when the loaded data has no duplicate pairs (the manifest records which).
-- {{table}}: dms.Reference or dms.reference_NN; {{name}}: the constraint name.
ALTER TABLE {{table}} ADD CONSTRAINT {{name}}
  UNIQUE (ParentDocumentId, ParentDocumentPartitionKey, ReferentialId, ReferentialPartitionKey)
