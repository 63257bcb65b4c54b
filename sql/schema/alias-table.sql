-- dms.Alias as the DMS deploy scripts define it (docs/architecture.md#schema), hash-partitioned by ReferentialPartitionKey.
-- Partitions come from schema/alias-partition; keys and indexes from sql/load/. No parameters.
CREATE TABLE dms.Alias (
  Id BIGINT GENERATED ALWAYS AS IDENTITY (START WITH 1 INCREMENT BY 1),
  ReferentialPartitionKey SMALLINT NOT NULL,
  ReferentialId UUID NOT NULL,
  DocumentId BIGINT NOT NULL,
  DocumentPartitionKey SMALLINT NOT NULL
) PARTITION BY HASH (ReferentialPartitionKey)
