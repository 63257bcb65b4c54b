-- dms.Reference as the DMS deploy scripts define it (docs/architecture.md#schema), hash-partitioned by ParentDocumentPartitionKey.
-- Partitions come from schema/reference-partition; keys and indexes from sql/load/. No parameters.
CREATE TABLE dms.Reference (
  Id BIGINT GENERATED ALWAYS AS IDENTITY (START WITH 1 INCREMENT BY 1),
  ParentDocumentId BIGINT NOT NULL,
  ParentDocumentPartitionKey SMALLINT NOT NULL,
  ReferencedDocumentId BIGINT NULL,
  ReferencedDocumentPartitionKey SMALLINT NULL,
  ReferentialId UUID NOT NULL,
  ReferentialPartitionKey SMALLINT NOT NULL
) PARTITION BY HASH (ParentDocumentPartitionKey)
