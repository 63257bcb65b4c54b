-- dms.Reference of --schema alias-id: DMS-867's layout (DMS commit 2e6561ce7,
-- 0003_Create_Reference_Table.sql), LIST-partitioned by ParentDocumentPartitionKey. The row names
-- its target by AliasId (no ReferentialId), and the referenced document is always resolved.
-- Partitions come from schema/list-partition; keys and indexes from sql/load/. No parameters.
CREATE TABLE dms.Reference (
  Id BIGINT GENERATED ALWAYS AS IDENTITY (START WITH 1 INCREMENT BY 1),
  ParentDocumentId BIGINT NOT NULL,
  ParentDocumentPartitionKey SMALLINT NOT NULL,
  ReferentialPartitionKey SMALLINT NOT NULL,
  AliasId BIGINT NOT NULL,
  ReferencedDocumentPartitionKey SMALLINT NOT NULL,
  ReferencedDocumentId BIGINT NOT NULL
) PARTITION BY LIST (ParentDocumentPartitionKey)
