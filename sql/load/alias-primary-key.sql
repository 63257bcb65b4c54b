-- Primary key of dms.Alias, or of one partition.
-- {{table}}: dms.Alias or dms.alias_NN; {{constraint}}: "CONSTRAINT name", or empty on a partition to let PostgreSQL name it.
ALTER TABLE {{table}} ADD {{constraint}} PRIMARY KEY (ReferentialPartitionKey, Id)
