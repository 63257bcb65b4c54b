-- Primary key of dms.Alias, or of one partition.
-- {{table}}: dms.Alias or dms.alias_NN; {{name}}: the constraint name.
ALTER TABLE {{table}} ADD CONSTRAINT {{name}} PRIMARY KEY (ReferentialPartitionKey, Id)
