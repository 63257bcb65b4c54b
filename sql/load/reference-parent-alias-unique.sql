-- --schema alias-id: one row per (parent, alias), the arbiter of dms.InsertReferences' ON CONFLICT
-- (DMS-867: UX_Reference_Parent_Alias). Part of the layout: load leaves repeated pairs out.
-- {{table}}: dms.Reference or dms.reference_NN; {{constraint}}: "CONSTRAINT name", or empty on a partition to let PostgreSQL name it.
ALTER TABLE {{table}} ADD {{constraint}}
  UNIQUE (ParentDocumentPartitionKey, ParentDocumentId, AliasId)
