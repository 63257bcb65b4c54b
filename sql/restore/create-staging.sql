-- Restore's staging table for this session: the dataset reference rows of one batch, COPYed in
-- (restore/copy-staging) and emptied at every commit, so each transaction stages only its own batch.
-- DatasetRowId is the Id a load gives the row: the INSERT keeps load order. No parameters.
CREATE TEMPORARY TABLE IF NOT EXISTS restore_staging (
  DatasetRowId BIGINT NOT NULL,
  ParentDocumentId BIGINT NOT NULL,
  ParentDocumentPartitionKey SMALLINT NOT NULL,
  ReferentialId UUID NOT NULL,
  ReferentialPartitionKey SMALLINT NOT NULL
) ON COMMIT DELETE ROWS
