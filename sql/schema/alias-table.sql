-- dms.Alias as the DMS deploy scripts define it (docs/architecture.md#schema), partitioned by ReferentialPartitionKey.
-- {{method}}: HASH (--schema referential-id) or LIST (--schema alias-id, as DMS-867).
-- Partitions come from schema/alias-partition or schema/list-partition; keys and indexes from sql/load/.
CREATE TABLE dms.Alias (
  Id BIGINT GENERATED ALWAYS AS IDENTITY (START WITH 1 INCREMENT BY 1),
  ReferentialPartitionKey SMALLINT NOT NULL,
  ReferentialId UUID NOT NULL,
  DocumentId BIGINT NOT NULL,
  DocumentPartitionKey SMALLINT NOT NULL
) PARTITION BY {{method}} (ReferentialPartitionKey)
